import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { SignInRequiredError, type AdminClient } from '../../shared/admin-client.js';
import { SSE_EVENT } from '../../shared/push.js';
import { MeshState, type MeshSnapshot } from './mesh-state.js';

/** `incompatible`: the mesh sent a batch that does not fit the contract; the stream is closed (see MeshSnapshot.pushError). */
export type Connection = 'connecting' | 'live' | 'sign-in' | 'offline' | 'incompatible';

/** What every view gets: the admin client for commands and the pushed state to render. */
export interface MeshContextValue {
  client: AdminClient;
  state: MeshState;
  connection: Connection;
}

export const MeshContext = createContext<MeshContextValue | null>(null);

export function useMesh(): MeshContextValue {
  const value = useContext(MeshContext);
  if (!value) throw new Error('useMesh() outside <MeshContext.Provider>');
  return value;
}

/** The latest pushed snapshot; re-renders at most once per animation frame. */
export function useMeshSnapshot(): MeshSnapshot {
  const { state } = useMesh();
  return useSyncExternalStore(state.subscribe, () => state.current);
}

/**
 * Connects to the push stream and keeps a MeshState fed. EventSource reconnects by itself; when it
 * fails, one plain API call tells a sign-in problem (401) apart from a mesh that is down. A batch
 * that does not fit the contract stops the stream: what follows it could not be trusted either.
 *
 * The stream carries request events only while a view wants them (MeshState.wantsRequests): when
 * that changes (the request log opens or closes) the stream is opened again with the other scope.
 * The switch goes through `connected` false then true, which is what makes the request log fetch
 * from the mesh's log whatever arrived between the two streams.
 */
export function useMeshConnection(client: AdminClient): MeshContextValue {
  const [state] = useState(() => new MeshState());
  const [connection, setConnection] = useState<Connection>('connecting');
  useEffect(() => {
    let source = open(client, state, setConnection);
    let scope = state.wantsRequests;
    let pending: ReturnType<typeof setTimeout> | null = null;
    // Deferred: a page change unsubscribes and subscribes in one go, which must not reopen twice.
    const offDemand = state.onRequestDemand(() => {
      pending ??= setTimeout(() => {
        pending = null;
        if (state.wantsRequests === scope || source.readyState === EventSource.CLOSED) return;
        scope = state.wantsRequests;
        source.close();
        state.setConnected(false);
        source = open(client, state, setConnection);
      }, 0);
    });
    return () => {
      offDemand();
      if (pending) clearTimeout(pending);
      source.close();
    };
  }, [client, state]);
  return { client, state, connection };
}

function open(client: AdminClient, state: MeshState, setConnection: (connection: Connection) => void): EventSource {
  const source = new EventSource(client.eventsUrl({ requests: state.wantsRequests ? 'rows' : 'none' }));
  let incompatible = false;
  const receive = (data: string) => {
    if (incompatible) return;
    if (state.receive(data)) {
      setConnection('live');
      return;
    }
    incompatible = true;
    source.close();
    state.setConnected(false);
    setConnection('incompatible');
  };
  // Each batch is parsed in a task of its own, after the one in which the browser read it off the
  // stream: for a 200-service mesh the stats (870 KB of JSON a second) made both one task of 50–60 ms,
  // long enough to delay a click. Timers keep the batches in order.
  source.addEventListener(SSE_EVENT, (message) => {
    const { data } = message as MessageEvent<string>;
    setTimeout(() => receive(data), 0);
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
  return source;
}
