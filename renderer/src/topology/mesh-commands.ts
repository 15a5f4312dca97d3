/**
 * The commands the topology sends: reroute, rollback, faults. Each is one admin call; the mesh's
 * answer replaces that piece of the dashboard's state at once (the push stream would bring it
 * too, a moment later), so the screen shows what the mesh holds and never what the user hoped.
 * A failure is returned as a message for the view to show; nothing is retried behind the user.
 */
import { useCallback, useMemo } from 'react';
import type { Fault, RerouteInput, ServiceRoute } from '../../../shared/routes.js';
import { useMesh } from '../use-mesh-state.js';

/** The routes with `route` in place of the one for its service (appended if it is new). */
export function withRoute(routes: readonly ServiceRoute[] | null, route: ServiceRoute): ServiceRoute[] {
  const list = routes ?? [];
  return list.some((entry) => entry.service === route.service) ? list.map((entry) => (entry.service === route.service ? route : entry)) : [...list, route];
}

export type CommandResult = { ok: true } | { ok: false; message: string };

export interface MeshCommands {
  reroute: (input: RerouteInput) => Promise<CommandResult>;
  rollback: (service: string) => Promise<CommandResult>;
  setFault: (fault: Fault) => Promise<CommandResult>;
  clearFault: (service: string, caller?: string) => Promise<CommandResult>;
}

export function useMeshCommands(): MeshCommands {
  const { client, state } = useMesh();
  const run = useCallback(async (command: () => Promise<void>): Promise<CommandResult> => {
    try {
      await command();
      return { ok: true };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }, []);
  const reroute = useCallback(
    (input: RerouteInput) =>
      run(async () => {
        const route = await client.call('reroute', input);
        state.update({ routes: withRoute(state.current.routes, route) });
      }),
    [client, state, run],
  );
  const rollback = useCallback(
    (service: string) =>
      run(async () => {
        const route = await client.call('rollback', { service });
        state.update({ routes: withRoute(state.current.routes, route) });
      }),
    [client, state, run],
  );
  const setFault = useCallback(
    (fault: Fault) =>
      run(async () => {
        state.update({ faults: await client.call('setFault', fault) });
      }),
    [client, state, run],
  );
  const clearFault = useCallback(
    (service: string, caller?: string) =>
      run(async () => {
        state.update({ faults: await client.call('clearFault', caller === undefined ? { service } : { service, caller }) });
      }),
    [client, state, run],
  );
  return useMemo(() => ({ reroute, rollback, setFault, clearFault }), [reroute, rollback, setFault, clearFault]);
}
