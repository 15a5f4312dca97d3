/**
 * What a first start shows instead of an empty graph: the three steps from nothing to a live
 * topology — send a shell's traffic through the proxy, register services, or try the demo.
 *
 * "Load the demo" is a command to copy, not a button: the admin contract has no operation that
 * starts the demo services (they are child processes of `meshdesk demo`), and a button that only
 * pretends would be worse than none.
 */
import { exportLine } from '../../../shared/export-line.js';
import { CopyButton } from '../components/copy-button.js';
import { hrefFor } from '../navigation.js';

const DEMO_COMMAND = 'npx meshdesk demo';
const YAML_EXAMPLE = `services:
  hello:
    instances: [127.0.0.1:7001]
  world:
    versions:
      v1: { instances: [127.0.0.1:7002] }
      v2: { instances: [127.0.0.1:7003] }`;

export function FirstRun({ proxyUrl }: { proxyUrl: string | null }) {
  const line = proxyUrl ? exportLine(proxyUrl) : null;
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
              <CopyButton text={line} label="Copy the export line for your shell" />
            </div>
          )}
          <p className="muted">
            Nothing else changes: hosts that are not registered services pass straight through, so the rest of the shell keeps working.
          </p>
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
          <p>
            Runs hello, world v1 and v2 with steady traffic, so there is something to see and reroute at once. It starts its own mesh on the
            default ports, so stop this one first:
          </p>
          <div className="copy-row">
            <code data-testid="first-run-demo-command">{DEMO_COMMAND}</code>
            <CopyButton text={DEMO_COMMAND} label="Copy the demo command" />
          </div>
        </li>
      </ol>
    </section>
  );
}
