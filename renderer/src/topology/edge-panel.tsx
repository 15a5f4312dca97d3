/**
 * The side panel for a selected edge (Kiali's edge panel): who calls what, that edge's golden
 * metrics with sparklines, and "show requests here" — the request log filtered to the edge's
 * caller, service and version. Traffic to external hosts is one grouped edge per caller; its
 * numbers are the sum over those hosts, which the log lists one by one.
 */
import { useMeshSnapshot } from '../use-mesh-state.js';
import { GoldenMetrics } from './golden-metrics.js';
import { EXTERNAL_NODE_ID } from './graph-ids.js';
import type { GraphEdge } from './graph-model.js';
import { requestsHrefForEdge } from './requests-link.js';
import { historyKey, type StatsHistory } from './stats-history.js';

export function EdgePanel({ edge, history, onClose }: { edge: GraphEdge; history: StatsHistory; onClose: () => void }) {
  const { stats } = useMeshSnapshot();
  const external = edge.service === EXTERNAL_NODE_ID;
  const target = external ? 'external hosts' : `${edge.service}${edge.version === null ? '' : `@${edge.version}`}`;
  const edgeStats = external
    ? null
    : (stats?.edges.find((entry) => entry.caller === edge.caller && entry.service === edge.service && entry.version === edge.version)?.stats ?? null);
  return (
    <aside className="service-panel" aria-label={`Traffic from ${edge.caller} to ${target}`} data-testid="edge-panel">
      <header className="panel-header">
        <h2>
          {edge.caller} → {target}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close the panel" data-testid="panel-close">
          ×
        </button>
      </header>
      <section className="panel-section" aria-label="Golden metrics">
        <h3>Golden metrics</h3>
        {external ? (
          <p className="muted small">
            Summed over every external host {edge.caller} called: {edge.requests} requests in the window.
          </p>
        ) : (
          <GoldenMetrics stats={edgeStats} samples={history.samples(historyKey.edge(edge.caller, edge.service, edge.version))} testId="edge-metrics" />
        )}
      </section>
      <section className="panel-section" aria-label="Requests">
        <a href={requestsHrefForEdge(edge)} data-testid="edge-requests-link">
          Show requests here
        </a>
      </section>
    </aside>
  );
}
