/** Shown while the demo loaded from the first-run screen runs: what it is, and how to stop it. */
import { useState } from 'react';
import { runCommand } from '../components/command-result.js';
import { useMesh } from '../use-mesh-state.js';

export function DemoSettings() {
  const { client, state } = useMesh();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const unload = async () => {
    setBusy(true);
    setProblem(null);
    const result = await runCommand(async () => {
      const info = await client.call('unloadDemo');
      state.update({ info, services: await client.call('listServices') });
    });
    setBusy(false);
    if (!result.ok) setProblem(result.message);
  };
  return (
    <section aria-labelledby="settings-demo" className="settings-group" data-testid="settings-demo">
      <h3 id="settings-demo">Demo</h3>
      <p className="muted small">The demo services (hello, world v1 and v2, and their traffic) run in this mesh until you unload them or it stops.</p>
      <div className="button-row">
        <button type="button" onClick={() => void unload()} disabled={busy} data-testid="unload-demo">
          {busy ? 'Unloading…' : 'Unload the demo'}
        </button>
      </div>
      {problem && (
        <p role="alert" className="error small">
          {problem}
        </p>
      )}
    </section>
  );
}
