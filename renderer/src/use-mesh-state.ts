import { useEffect, useState, useSyncExternalStore } from 'react';
import { SSE_EVENT, type PushBatch } from '../../shared/push.js';
import { SignInRequiredError, type AdminClient } from '../../shared/admin-client.js';
import { MeshState, type MeshSnapshot } from './mesh-state.js';

export type Connection = 'connecting' | 'live' | 'sign-in' | 'offline';

/**
 * Connects to the push stream and keeps a MeshState fed. EventSource reconnects by itself; when it
 * fails, one plain API call tells a sign-in problem (401) apart from a mesh that is down.
 */
export function useMeshState(client: AdminClient): { snapshot: MeshSnapshot; connection: Connection } {
  const [state] = useState(() => new MeshState());
  const [connection, setConnection] = useState<Connection>('connecting');
  const snapshot = useSyncExternalStore(state.subscribe, () => state.current);
  useEffect(() => {
    const source = new EventSource(client.eventsUrl());
    source.addEventListener(SSE_EVENT, (message) => {
      setConnection('live');
      state.apply(JSON.parse((message as MessageEvent<string>).data) as PushBatch);
    });
    source.onerror = () => {
      state.setConnected(false);
      client.call('getInfo').then(
        () => setConnection('connecting'),
        (error: unknown) => {
          setConnection(error instanceof SignInRequiredError ? 'sign-in' : 'offline');
          if (error instanceof SignInRequiredError) source.close();
        },
      );
    };
    source.onopen = () => state.setConnected(true);
    return () => source.close();
  }, [client, state]);
  return { snapshot, connection };
}
