/**
 * Replay: resend an exchange through the mesh, as it was or edited, to the version routing picks
 * or to one the user names, and show the two responses side by side with their differences
 * highlighted. The mesh does the sending (mesh-ops.ts): a page cannot send through the proxy.
 */
import { useState } from 'react';
import type { Exchange } from '../../../shared/exchange.js';
import type { ReplayResult } from '../../../shared/replay.js';
import { useMesh, useMeshSnapshot } from '../use-mesh-state.js';
import { replayExchange } from './mesh-ops.js';
import { ReplayComparison } from './replay-comparison.js';
import { initialEdits, replayInput, type ReplayEdits } from './replay-edit.js';

export function ReplayPanel({ original, onClose }: { original: Exchange; onClose: () => void }) {
  const { client } = useMesh();
  const { services } = useMeshSnapshot();
  const [edits, setEdits] = useState<ReplayEdits>(() => initialEdits(original));
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const versions = services?.find((service) => service.name === original.service)?.versions.map((version) => version.name) ?? [];
  const edit = (patch: Partial<ReplayEdits>) => setEdits((before) => ({ ...before, ...patch }));

  const send = async () => {
    const { input, errors } = replayInput(original, edits);
    if (errors.length > 0) return setProblem(errors.join('; '));
    setSending(true);
    setProblem(null);
    try {
      setResult(await replayExchange(client, input));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="replay-panel" aria-label="Replay" data-testid="replay-panel">
      <header className="detail-header">
        <h4>Replay through the mesh</h4>
        <button type="button" aria-label="Close replay" onClick={onClose}>
          ×
        </button>
      </header>
      <form
        className="replay-form"
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <label>
          Version
          <select aria-label="Replay to version" value={edits.version} onChange={(event) => edit({ version: event.target.value })}>
            <option value="">as routed</option>
            {versions.map((version) => (
              <option key={version} value={version}>
                {version}
              </option>
            ))}
          </select>
        </label>
        <label>
          Method
          <input aria-label="Replay method" value={edits.method} onChange={(event) => edit({ method: event.target.value })} size={8} />
        </label>
        <label className="replay-path">
          Path
          <input aria-label="Replay path" value={edits.path} onChange={(event) => edit({ path: event.target.value })} />
        </label>
        <label className="replay-wide">
          Headers
          <textarea
            aria-label="Replay headers"
            rows={5}
            value={edits.headersText}
            onChange={(event) => edit({ headersText: event.target.value })}
            spellCheck={false}
          />
        </label>
        {edits.bodyText === null ? (
          <p className="muted">The request body is binary and is sent unchanged.</p>
        ) : (
          <label className="replay-wide">
            Body
            <textarea
              aria-label="Replay body"
              rows={4}
              value={edits.bodyText}
              onChange={(event) => edit({ bodyText: event.target.value })}
              spellCheck={false}
            />
          </label>
        )}
        <button type="submit" disabled={sending} data-testid="replay-send">
          {sending ? 'Sending…' : 'Send'}
        </button>
      </form>
      {problem && (
        <p role="alert" className="error" data-testid="replay-error">
          {problem}
        </p>
      )}
      {result && <ReplayComparison original={original} replay={result} />}
    </section>
  );
}
