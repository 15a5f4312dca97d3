import { useCallback } from 'react';
import type { AdminClient } from './admin-client.js';
import { ExportLine } from './export-line.js';
import { ServiceList } from './service-list.js';
import { usePoll } from './use-poll.js';

export function App({ client }: { client: AdminClient }) {
  const loadInfo = useCallback(() => client.call('getInfo'), [client]);
  const loadServices = useCallback(() => client.call('listServices'), [client]);
  const info = usePoll(loadInfo, 5_000);
  const services = usePoll(loadServices, 2_000);
  return (
    <div className="app">
      <header className="app-header">
        <h1>Meshdesk</h1>
        {info.data && <span className="version">v{info.data.version}</span>}
      </header>
      <main>
        {(info.error ?? services.error) && (
          <p role="alert" className="error">
            Cannot reach the mesh: {info.error ?? services.error}
          </p>
        )}
        {info.data && <ExportLine proxyUrl={info.data.proxyUrl} />}
        {info.data && info.data.configErrors.length > 0 && (
          <section className="config-errors" data-testid="config-errors" role="alert">
            <h2>Config errors — the last good config is still in force</h2>
            <ul>
              {info.data.configErrors.map((error, index) => (
                <li key={index}>
                  <code>
                    {error.file}:{error.line}:{error.column}
                  </code>{' '}
                  {error.message}
                </li>
              ))}
            </ul>
          </section>
        )}
        {services.data && <ServiceList services={services.data} />}
      </main>
    </div>
  );
}
