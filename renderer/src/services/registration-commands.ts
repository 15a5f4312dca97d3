/**
 * Registering, editing and removing instances from the GUI. Each call's answer is the mesh's new
 * list of services, which replaces the dashboard's copy at once. An edit that changes an
 * instance's service or address registers the new one before removing the old, so the instance
 * is never missing from the pool; one that keeps them is a single call (the mesh replaces it).
 */
import { useCallback, useMemo } from 'react';
import type { DeregistrationInput, RegistrationInput } from '../../../shared/model.js';
import { runCommand, type CommandResult } from '../components/command-result.js';
import { useMesh } from '../use-mesh-state.js';

export type { CommandResult };

export interface Original {
  service: string;
  version: string;
  address: string;
}

export function useRegistrationCommands() {
  const { client, state } = useMesh();
  const register = useCallback(
    (input: RegistrationInput, original: Original | null) =>
      runCommand(async () => {
        state.update({ services: await client.call('registerInstance', input) });
        if (original && (original.service !== input.service || original.address.toLowerCase() !== input.address.toLowerCase())) {
          state.update({
            services: await client.call('deregisterInstance', { service: original.service, version: original.version, address: original.address }),
          });
        }
      }),
    [client, state],
  );
  const remove = useCallback(
    (input: DeregistrationInput) =>
      runCommand(async () => {
        state.update({ services: await client.call('deregisterInstance', input) });
      }),
    [client, state],
  );
  return useMemo(() => ({ register, remove }), [register, remove]);
}
