/**
 * Services whose diffs the mesh still keeps although no rule is in force any more (stopped after a
 * comparison, kept until cleared): one getDiffs per service with two versions or more, asked
 * again only when that list changes. A local mesh has a handful of services; a 404 means none kept.
 */
import { useEffect, useState } from 'react';
import { useMesh } from '../use-mesh-state.js';

export function useServicesWithKeptDiffs(candidates: readonly string[]): string[] {
  const { client } = useMesh();
  const [found, setFound] = useState<string[]>([]);
  const key = candidates.join('\n');
  useEffect(() => {
    let current = true;
    const names = key === '' ? [] : key.split('\n');
    void Promise.all(
      names.map((service) =>
        client.call('getDiffs', { service }).then(
          (diffs) => (diffs.pairs > 0 ? service : null),
          () => null,
        ),
      ),
    ).then((answers) => {
      if (current) setFound(answers.filter((name): name is string => name !== null));
    });
    return () => {
      current = false;
    };
  }, [client, key]);
  return found;
}
