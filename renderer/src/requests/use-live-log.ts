/**
 * Wires the request log view to the mesh: one LiveLog (the rows) and one loader per page visit, fed
 * by the push stream's request batches and the admin API's log. Components that show rows or
 * counters subscribe to the LiveLog themselves (`useLogVersion`), so a batch re-renders the table
 * and the counters, not the page around them.
 */
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { LogFilter } from '../../../shared/log-filter-words.js';
import { useMesh } from '../use-mesh-state.js';
import { LiveLog } from './live-log.js';
import { LiveLogLoader, type LoaderStatus } from './live-log-loader.js';

export interface LiveLogHandle {
  log: LiveLog;
  loader: LiveLogLoader;
  status: LoaderStatus;
}

export function useLiveLog(filter: LogFilter, filterKey: string): LiveLogHandle {
  const { client, state } = useMesh();
  const [log] = useState(() => new LiveLog());
  const [status, setStatus] = useState<LoaderStatus>({ loadingHistory: false, error: null });
  const loader = useMemo(() => new LiveLogLoader(log, { query: (input) => client.call('queryLog', input) }, { onStatus: setStatus }), [log, client]);
  const startedAt = useSyncExternalStore(state.subscribe, () => state.current.info?.startedAt ?? null);

  useEffect(() => state.subscribeRequests((events, dropped) => loader.pushed(events, dropped)), [state, loader]);

  // A new filter, or a mesh that restarted (its ids start again): start over from its log.
  useEffect(() => {
    void loader.start(filter);
    return () => loader.stop();
  }, [loader, filterKey, startedAt]);

  // Back after a disconnection, or on a stream reopened to carry request events: fetch what was missed.
  useEffect(() => state.onConnected(() => loader.catchUp()), [state, loader]);

  useEffect(() => () => log.dispose(), [log]);
  return { log, loader, status };
}

/** Re-renders the caller when the log's rows or counters change (at most a few times a second). */
export function useLogVersion(log: LiveLog): number {
  return useSyncExternalStore(log.subscribe, log.getVersion);
}
