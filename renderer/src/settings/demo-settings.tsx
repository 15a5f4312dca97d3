/** Shown while the demo loaded from the first-run screen runs: what it is, and how to stop it. */
import { useDemoCommand } from '../components/use-demo-command.js';

export function DemoSettings() {
  const { busy, problem, run: unload } = useDemoCommand('unloadDemo');
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
