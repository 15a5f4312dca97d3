/**
 * What a first start shows instead of an empty graph: the three steps from nothing to a live
 * topology — send a shell's traffic through the proxy, register services, or load the demo.
 *
 * "Load the demo" starts the demo services inside this mesh (the admin API's loadDemo); the graph
 * appears as soon as the mesh pushes the new services, so this view only has to report a failure.
 */
import { exportLine } from '../../../shared/export-line.js';
import { CopyButton } from '../components/copy-button.js';
import { useDemoCommand } from '../components/use-demo-command.js';
import { copyExportLine } from '../desktop.js';
import { hrefFor } from '../navigation.js';
const YAML_EXAMPLE = `services:
  hello:
    instances: [127.0.0.1:7001]
  world:
    versions:
      v1: { instances: [127.0.0.1:7002] }
      v2: { instances: [127.0.0.1:7003] }`;

export function FirstRun({ proxyUrl }: { proxyUrl: string | null }) {
  const line = proxyUrl ? exportLine(proxyUrl) : null;
  const { busy: loading, problem, run: loadDemo } = useDemoCommand('loadDemo');
  return (
    <section className="first-run" aria-labelledby="first-run-title" data-testid="first-run">
      <h2 id="first-run-title">Nothing in the mesh yet</h2>
      <ol>
        <li>
          <h3>Send your services' traffic through Meshdesk</h3>
          <p>In the shell that starts your services, before starting them:</p>
          {line && (
            <div className="copy-row">
              <code data-testid="first-run-export-line">{line}</code>
              <CopyButton text={line} label="Copy the export line for your shell" copy={copyExportLine} />
            </div>
          )}
          <p className="muted">Nothing else changes: hosts that are not registered services pass straight through, so the rest of the shell keeps working.</p>
        </li>
        <li>
          <h3>Tell it about your services</h3>
          <p>
            Put a <code>meshdesk.yaml</code> in your workspace, or add them one by one on the <a href={hrefFor('services')}>Services</a> page.
          </p>
          <pre className="code-block">{YAML_EXAMPLE}</pre>
        </li>
        <li>
          <h3>Or load the demo</h3>
          <p>Starts hello, world v1 and v2 and steady traffic in this mesh, so there is something to see and reroute at once. Unload it in Settings.</p>
          <button type="button" className="primary" onClick={() => void loadDemo()} disabled={loading} data-testid="first-run-load-demo">
            {loading ? 'Starting the demo…' : 'Load the demo'}
          </button>
          {problem && (
            <p className="error" role="alert" data-testid="first-run-demo-error">
              The demo could not be loaded: {problem}
            </p>
          )}
        </li>
      </ol>
    </section>
  );
}
