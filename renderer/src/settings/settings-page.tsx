import { ExportLine } from '../export-line.js';
import { useMeshSnapshot } from '../use-mesh-state.js';

/** Ports, the export line, and (issue 7) theme and thresholds. */
export function SettingsPage() {
  const { info } = useMeshSnapshot();
  return (
    <section aria-label="Settings" data-testid="settings-page">
      <h2>Settings</h2>
      {info && <ExportLine proxyUrl={info.proxyUrl} />}
      {info && (
        <dl>
          <dt>Admin API and dashboard</dt>
          <dd>{info.adminUrl}</dd>
          <dt>Config file</dt>
          <dd>{info.configFile ?? '(none)'}</dd>
        </dl>
      )}
    </section>
  );
}
