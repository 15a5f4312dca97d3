/**
 * The side panel for a selected bypass edge: which process calls which service past the proxy,
 * when it was seen, the likely reason and the fix (with a copy button), all as the mesh diagnosed
 * it. No metrics: the proxy never saw these calls, which is the point.
 */
import type { BypassEdge } from './graph-model.js';

export function BypassPanel({ edge, onClose }: { edge: BypassEdge; onClose: () => void }) {
  const { bypass } = edge;
  const process = `${bypass.command} (pid ${bypass.pid})`;
  return (
    <aside className="service-panel bypass-panel" aria-label={`Bypass from ${bypass.caller} to ${bypass.service}`} data-testid="bypass-panel">
      <header className="panel-header">
        <h2>
          {bypass.caller} → {bypass.service} <span className="muted small">bypass</span>
        </h2>
        <button type="button" onClick={onClose} aria-label="Close the panel" data-testid="panel-close">
          ×
        </button>
      </header>
      <p className="small">
        Calls {bypass.service} straight at {bypass.instances.join(', ')}, past the proxy: they are missing from the graph, the stats and the log.
      </p>
      <section className="panel-section" aria-label="Process">
        <h3>Process</h3>
        <dl>
          <dt>process</dt>
          <dd data-testid="bypass-process">{process}</dd>
          {bypass.callerService !== null && (
            <>
              <dt>serves</dt>
              <dd>{bypass.callerService}</dd>
            </>
          )}
          <dt>connections</dt>
          <dd>
            {bypass.open} open, {bypass.connections} seen
          </dd>
          <dt>seen</dt>
          <dd>{bypass.open > 0 ? `since ${clock(bypass.firstSeen)}` : `${clock(bypass.firstSeen)} to ${clock(bypass.lastSeen)}`}</dd>
        </dl>
      </section>
      <section className="panel-section" aria-label="Why and fix">
        <h3>Why</h3>
        <p className="small" data-testid="bypass-reason">
          {bypass.reason}
        </p>
        <h3>Fix</h3>
        <p className="bypass-fix" data-testid="bypass-fix">
          {bypass.fix}
        </p>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(bypass.fix)} data-testid="bypass-copy-fix">
          Copy the fix
        </button>
      </section>
    </aside>
  );
}

function clock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString();
}
