/**
 * A service's diffs as the mesh last answered getDiffs, fetched again whenever the pushed counts
 * of its rule change (at most once a second while pairs come in, by the push contract) and when
 * the stream reopens: the page follows the comparisons without polling. An answer that arrives
 * after a newer request was sent is dropped, so a slow answer never overwrites a fresher one.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { AdminCallError } from '../../../shared/admin-client.js';
import type { ServiceDiffs } from '../../../shared/shadow.js';
import { useMesh, useMeshSnapshot } from '../use-mesh-state.js';
import { shadowCountsKey } from './diff-model.js';

/** `never`: the mesh has no diffs for the service (it was never shadowed, or is not known). */
export type DiffsStatus = { kind: 'loading' } | { kind: 'never' } | { kind: 'ready'; diffs: ServiceDiffs } | { kind: 'error'; message: string };

export function useServiceDiffs(service: string | null): { status: DiffsStatus; refresh: () => void } {
  const { client, state } = useMesh();
  const { shadows } = useMeshSnapshot();
  const countsKey = shadowCountsKey(shadows?.find((view) => view.service === service) ?? null);
  const [status, setStatus] = useState<DiffsStatus>({ kind: 'loading' });
  const [reloads, setReloads] = useState(0);
  const latest = useRef(0);

  // A new service starts from "loading"; new counts for the same one keep the table on screen.
  useEffect(() => setStatus({ kind: 'loading' }), [service]);

  useEffect(() => {
    if (service === null) return;
    const request = ++latest.current;
    client.call('getDiffs', { service }).then(
      (diffs) => {
        if (request === latest.current) setStatus({ kind: 'ready', diffs });
      },
      (error: unknown) => {
        if (request !== latest.current) return;
        if (error instanceof AdminCallError && error.status === 404) setStatus({ kind: 'never' });
        else setStatus({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
  }, [client, service, countsKey, reloads]);

  useEffect(() => state.onConnected(() => setReloads((count) => count + 1)), [state]);
  const refresh = useCallback(() => setReloads((count) => count + 1), []);
  return { status, refresh };
}
