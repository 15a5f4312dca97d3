/**
 * Loading or unloading the demo from the dashboard: one admin call, then the mesh's info and
 * services in place at once (the push stream brings them too, a moment later). The view shows
 * `busy` while it runs and `problem` when the mesh refused.
 */
import { useState } from 'react';
import { useMesh } from '../use-mesh-state.js';
import { runCommand } from './command-result.js';

export function useDemoCommand(operation: 'loadDemo' | 'unloadDemo'): { busy: boolean; problem: string | null; run: () => Promise<void> } {
  const { client, state } = useMesh();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setProblem(null);
    const result = await runCommand(async () => {
      const info = await client.call(operation);
      state.update({ info, services: await client.call('listServices') });
    });
    setBusy(false);
    if (!result.ok) setProblem(result.message);
  };
  return { busy, problem, run };
}
