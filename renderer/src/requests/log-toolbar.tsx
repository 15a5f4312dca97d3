/**
 * The log's controls and counters: pause and resume (new rows wait, counted), follow, clear (the
 * mesh's log too), HAR export of everything the mesh's log holds for the filter, and what the
 * view has received, is holding and has lost.
 */
import { useState } from 'react';
import { exchangesToHar } from '../../../shared/har.js';
import type { LiveLog } from './live-log.js';
import type { LiveLogLoader, LoaderStatus } from './live-log-loader.js';
import { useLogVersion } from './use-live-log.js';

interface LogToolbarProps {
  log: LiveLog;
  loader: LiveLogLoader;
  status: LoaderStatus;
  follow: boolean;
  onFollowChange: (follow: boolean) => void;
  filterWords: string;
  meshVersion: string;
  onClear: () => Promise<void>;
}

export function LogToolbar({ log, loader, status, follow, onFollowChange, filterWords, meshVersion, onClear }: LogToolbarProps) {
  useLogVersion(log);
  const [problem, setProblem] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const counters = log.counters;

  const exportHar = async () => {
    setExporting(true);
    setProblem(null);
    try {
      const exchanges = await loader.everyExchange();
      const har = exchangesToHar(exchanges, {
        version: meshVersion,
        comment: filterWords ? `Meshdesk request log, filter: ${filterWords}` : 'Meshdesk request log',
      });
      download(`meshdesk-${new Date().toISOString().replace(/[:.]/g, '-')}.har`, JSON.stringify(har, null, 2));
    } catch (error) {
      setProblem(`Export failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="log-toolbar" role="toolbar" aria-label="Request log controls">
      {log.paused ? (
        <button type="button" onClick={() => log.resume()} data-testid="resume">
          Resume{counters.waiting > 0 ? ` (${counters.waiting} new)` : ''}
        </button>
      ) : (
        <button type="button" onClick={() => log.pause()} data-testid="pause">
          Pause
        </button>
      )}
      <button type="button" aria-pressed={follow} onClick={() => onFollowChange(!follow)} data-testid="follow">
        Follow
      </button>
      <button
        type="button"
        data-testid="clear"
        onClick={() => {
          setProblem(null);
          onClear().catch((error: unknown) => setProblem(`Clear failed: ${error instanceof Error ? error.message : String(error)}`));
        }}
      >
        Clear
      </button>
      <button type="button" onClick={() => void exportHar()} disabled={exporting} data-testid="export-har">
        {exporting ? 'Exporting…' : 'Export HAR'}
      </button>
      <span
        className="log-counters"
        data-testid="log-counters"
        data-received={counters.received}
        data-dropped={counters.droppedByStream}
        data-rows={log.length}
        title="In the list: the requests the filter lets through, from the log's history and live. Arrived live: requests the mesh sent this page since it opened."
      >
        {log.length.toLocaleString()} in the list · {counters.received.toLocaleString()} arrived live
        {counters.droppedByStream > 0 && <> · {counters.droppedByStream.toLocaleString()} dropped by the stream (reloaded from the log)</>}
        {status.loadingHistory && <> · loading history…</>}
      </span>
      {(problem ?? status.error) && (
        <span role="alert" className="error" data-testid="log-error">
          {problem ?? status.error}
        </span>
      )}
    </div>
  );
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
