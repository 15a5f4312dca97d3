import { createContext, useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { AdminClient } from '../../shared/admin-client.js';
import type { MeshState, MeshSnapshot } from './mesh-state.js';
import type { Connection, PushConnection } from './push-connection.js';

export type { Connection } from './push-connection.js';

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
 * The page's push connection as React sees it: its state for every view, its status re-rendered on
 * change. The status is React state, not useSyncExternalStore: a store's change renders at once,
 * inside the task that caused it, and the first batch's turns the connection live in the very task
 * that parsed it (for a 200-service mesh, 90 ms of parsing and then the whole first graph in one task).
 */
export function useMeshConnection(connection: PushConnection): MeshContextValue {
  const [status, setStatus] = useState(connection.connection);
  useEffect(() => {
    setStatus(connection.connection);
    return connection.subscribe(() => setStatus(connection.connection));
  }, [connection]);
  return useMemo(() => ({ client: connection.client, state: connection.state, connection: status }), [connection, status]);
}
