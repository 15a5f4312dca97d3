import { ConfigErrors } from './config-errors.js';
import { DiffsPage } from './diffs/diffs-page.js';
import { ExportLine } from './export-line.js';
import { PAGES, hrefFor, useLocation, type PageId } from './navigation.js';
import { RequestsPage } from './requests/requests-page.js';
import { ServicesPage } from './services/services-page.js';
import { SettingsPage } from './settings/settings-page.js';
import { TopologyPage } from './topology/topology-page.js';
import { useTheme } from './theme.js';
import type { PushConnection } from './push-connection.js';
import { MeshContext, useMeshConnection, useMeshSnapshot, type Connection } from './use-mesh-state.js';

export function App({ push }: { push: PushConnection }) {
  const mesh = useMeshConnection(push);
  return (
    <MeshContext.Provider value={mesh}>
      <Shell connection={mesh.connection} />
    </MeshContext.Provider>
  );
}

function Shell({ connection }: { connection: Connection }) {
  useTheme();
  const { info, services, pushError } = useMeshSnapshot();
  const location = useLocation();
  return (
    <div className="app">
      <header className="app-header">
        <h1>Meshdesk</h1>
        {info && <span className="version">v{info.version}</span>}
        <nav aria-label="Pages" className="pages">
          {PAGES.map((page) => (
            <a key={page.id} href={hrefFor(page.id)} aria-current={location.page === page.id ? 'page' : undefined} data-testid={`nav-${page.id}`}>
              {page.label}
            </a>
          ))}
        </nav>
        <span className={`connection connection-${connection}`} data-testid="connection">
          {connection}
        </span>
      </header>
      <main>
        {connection === 'sign-in' && (
          <section role="alert" className="notice" data-testid="sign-in">
            <h2>Sign in to this mesh</h2>
            <p>
              Open the login link that <code>meshdesk serve</code> printed (<code>meshdesk: login …</code>), or print a new one with <code>meshdesk open</code>.
            </p>
          </section>
        )}
        {connection === 'offline' && (
          <p role="alert" className="error">
            Cannot reach the mesh. Is <code>meshdesk serve</code> running?
          </p>
        )}
        {connection === 'incompatible' && (
          <p role="alert" className="error" data-testid="push-error">
            Live updates stopped: {pushError}. Reload the page; if this comes back, the dashboard and the mesh are from different builds.
          </p>
        )}
        {info && location.page !== 'settings' && location.page !== 'topology' && services?.length === 0 && <ExportLine proxyUrl={info.proxyUrl} />}
        {info && location.page !== 'services' && <ConfigErrors errors={info.configErrors} />}
        <Page page={location.page} params={location.params} />
      </main>
    </div>
  );
}

function Page({ page, params }: { page: PageId; params: URLSearchParams }) {
  switch (page) {
    case 'topology':
      return <TopologyPage />;
    case 'requests':
      return <RequestsPage params={params} />;
    case 'diffs':
      return <DiffsPage params={params} />;
    case 'services':
      return <ServicesPage />;
    case 'settings':
      return <SettingsPage />;
  }
}
