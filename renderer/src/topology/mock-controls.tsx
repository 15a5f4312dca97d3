/**
 * The service panel's mock section: "Save as mock" records the service's exchanges from the log as
 * HAR in the workspace and serves them as `<service>@recorded` (routing is left as it is: drag an
 * edge to `recorded`, or split, to use it); then the hits, the misses with what was asked, the
 * matching mode and the recorded latency, and "Stop mock". Each button is admin calls whose answers
 * replace the dashboard's copy of the mocks at once.
 */
import { useState } from 'react';
import { MOCK_VERSION, type MockMatching, type MockView } from '../../../shared/mock.js';
import { runCommand } from '../components/command-result.js';
import { useMesh, useMeshSnapshot } from '../use-mesh-state.js';

const MATCHING_LABELS: Record<MockMatching, string> = {
  request: 'Method, path, query and body',
  headers: 'Also the request headers',
  path: 'Method and path only',
};

export function MockControls({ service }: { service: string }) {
  const { client, state } = useMesh();
  const { mocks } = useMeshSnapshot();
  const mock = mocks?.find((entry) => entry.service === service) ?? null;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const replaced = (view: MockView | null) => {
    const others = (state.current.mocks ?? []).filter((entry) => entry.service !== service);
    state.update({ mocks: view === null ? others : [...others, view] });
  };
  const run = async (command: () => Promise<string | null>) => {
    setBusy(true);
    let note: string | null = null;
    const result = await runCommand(async () => {
      note = await command();
    });
    setBusy(false);
    setMessage(result.ok ? note : result.message);
  };
  const serve = (matching: MockMatching, replayLatency: boolean, from?: string) =>
    run(async () => {
      replaced(await client.call('serveMock', { service, matching, replayLatency, ...(from ? { from } : {}) }));
      return null;
    });
  const saveAsMock = () =>
    run(async () => {
      const recorded = await client.call('recordMock', { service });
      const view = await client.call('serveMock', { service, matching: mock?.matching ?? 'request', replayLatency: mock?.replayLatency ?? false });
      replaced(view);
      return `Saved ${recorded.entries} exchange${recorded.entries === 1 ? '' : 's'} to ${view.file}.`;
    });
  const stop = () =>
    run(async () => {
      state.update({ mocks: await client.call('stopMock', { service }) });
      return null;
    });

  return (
    <section className="panel-section mock-controls" aria-label="Mock" data-testid="mock-controls">
      <h3>Mock</h3>
      {mock === null ? (
        <p className="muted small">
          Save {service}’s exchanges in the request log as a HAR file in the workspace, answered by the mesh as <strong>{`${service}@${MOCK_VERSION}`}</strong>{' '}
          when {service} is not running. Routing stays as it is until you drag an edge to <em>{MOCK_VERSION}</em>.
        </p>
      ) : (
        <>
          <p className="small" data-testid="mock-summary">
            <span className="badge badge-mock">mock</span> {mock.entries} recorded exchange{mock.entries === 1 ? '' : 's'} from{' '}
            <code title={mock.file}>{fileName(mock.file)}</code> as <strong>{`${service}@${mock.version}`}</strong>
          </p>
          <p className="mock-counts" data-testid="mock-counts">
            <span className="mock-hits">
              {mock.hits} hit{mock.hits === 1 ? '' : 's'}
            </span>{' '}
            ·{' '}
            <span className={mock.misses > 0 ? 'mock-misses has-misses' : 'mock-misses'}>
              {mock.misses} miss{mock.misses === 1 ? '' : 'es'}
            </span>
          </p>
          {mock.skipped.length > 0 && <p className="muted small">Left out: {mock.skipped.join('; ')}.</p>}
          <div className="mock-options">
            <label className="field">
              <span>Match by</span>
              <select
                value={mock.matching}
                disabled={busy}
                onChange={(event) => void serve(event.target.value as MockMatching, mock.replayLatency, mock.file)}
                data-testid="mock-matching"
              >
                {(Object.keys(MATCHING_LABELS) as MockMatching[]).map((mode) => (
                  <option key={mode} value={mode}>
                    {MATCHING_LABELS[mode]}
                  </option>
                ))}
              </select>
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={mock.replayLatency}
                disabled={busy}
                onChange={(event) => void serve(mock.matching, event.target.checked, mock.file)}
                data-testid="mock-latency"
              />
              Replay recorded latency
            </label>
          </div>
          {mock.recentMisses.length > 0 && (
            <>
              <h4 className="small">Not in the recording</h4>
              <ul className="mock-miss-list" data-testid="mock-misses">
                {mock.recentMisses.slice(0, 8).map((miss) => (
                  <li key={`${miss.at}-${miss.method}-${miss.path}`}>
                    <code>
                      {miss.method} {miss.path}
                    </code>{' '}
                    <span className="muted">{new Date(miss.at).toLocaleTimeString()}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <div className="button-row">
        <button
          type="button"
          onClick={() => void saveAsMock()}
          disabled={busy}
          data-testid="save-as-mock"
          title="Record the exchanges in the log as HAR and serve them"
        >
          {mock === null ? 'Save as mock' : 'Record again'}
        </button>
        {mock !== null && (
          <button type="button" onClick={() => void stop()} disabled={busy} data-testid="stop-mock">
            Stop mock
          </button>
        )}
      </div>
      {message !== null && (
        <p className="small" role="status" data-testid="mock-message">
          {message}
        </p>
      )}
    </section>
  );
}

function fileName(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts.slice(-2).join('/');
}
