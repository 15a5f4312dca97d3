import type { AdminClient } from '../../shared/admin-client.js';
import { ConfigErrors } from './config-errors.js';
import { ExportLine } from './export-line.js';
import { ServiceList } from './service-list.js';
import { useMeshState } from './use-mesh-state.js';

export function App({ client }: { client: AdminClient }) {
  const { snapshot, connection } = useMeshState(client);
  const { info, services } = snapshot;
  return (
    <div className="app">
      <header className="app-header">
        <h1>Meshdesk</h1>
        {info && <span className="version">v{info.version}</span>}
        <span className={`connection connection-${connection}`} data-testid="connection">
          {connection}
        </span>
      </header>
      <main>
        {connection === 'sign-in' && (
          <section role="alert" className="notice" data-testid="sign-in">
            <h2>Sign in to this mesh</h2>
            <p>
              Open the login link that <code>meshdesk serve</code> printed (<code>meshdesk: login …</code>), or print a
              new one with <code>meshdesk open</code>.
            </p>
          </section>
        )}
        {connection === 'offline' && (
          <p role="alert" className="error">
            Cannot reach the mesh. Is <code>meshdesk serve</code> running?
          </p>
        )}
        {info && <ExportLine proxyUrl={info.proxyUrl} />}
        {info && <ConfigErrors errors={info.configErrors} />}
        {services && <ServiceList services={services} />}
      </main>
    </div>
  );
}
