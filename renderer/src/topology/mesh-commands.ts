/**
 * The commands the topology sends: reroute, rollback, faults. Each is one admin call; the mesh's
 * answer replaces that piece of the dashboard's state at once (the push stream would bring it
 * too, a moment later), so the screen shows what the mesh holds and never what the user hoped.
 * A failure is returned as a message for the view to show; nothing is retried behind the user.
 */
import { useCallback, useMemo } from 'react';
import type { Fault, RerouteRequest, ServiceRoute } from '../../../shared/routes.js';
import { runCommand, type CommandResult } from '../components/command-result.js';
import { useMesh } from '../use-mesh-state.js';

/** The routes with `route` in place of the one for its service (appended if it is new). */
export function withRoute(routes: readonly ServiceRoute[] | null, route: ServiceRoute): ServiceRoute[] {
  const list = routes ?? [];
  return list.some((entry) => entry.service === route.service) ? list.map((entry) => (entry.service === route.service ? route : entry)) : [...list, route];
}

export type { CommandResult };

export interface MeshCommands {
  reroute: (input: RerouteRequest) => Promise<CommandResult>;
  rollback: (service: string) => Promise<CommandResult>;
  setFault: (fault: Fault) => Promise<CommandResult>;
  clearFault: (service: string, caller?: string) => Promise<CommandResult>;
}

export function useMeshCommands(): MeshCommands {
  const { client, state } = useMesh();
  const reroute = useCallback(
    (input: RerouteRequest) =>
      runCommand(async () => {
        const route = await client.call('reroute', input);
        state.update({ routes: withRoute(state.current.routes, route) });
      }),
    [client, state],
  );
  const rollback = useCallback(
    (service: string) =>
      runCommand(async () => {
        const route = await client.call('rollback', { service });
        state.update({ routes: withRoute(state.current.routes, route) });
      }),
    [client, state],
  );
  const setFault = useCallback(
    (fault: Fault) =>
      runCommand(async () => {
        state.update({ faults: await client.call('setFault', fault) });
      }),
    [client, state],
  );
  const clearFault = useCallback(
    (service: string, caller?: string) =>
      runCommand(async () => {
        state.update({ faults: await client.call('clearFault', caller === undefined ? { service } : { service, caller }) });
      }),
    [client, state],
  );
  return useMemo(() => ({ reroute, rollback, setFault, clearFault }), [reroute, rollback, setFault, clearFault]);
}
