/**
 * How many nodes and edges the dashboard will draw for what the mesh reports, by the topology's own
 * rules (renderer/src/topology/graph-model.ts, which the Node-typed bench cannot import): a node per
 * service (registered, or of kind `service` in the stats), per caller that is not a service, and
 * one for all external hosts; an edge per caller → service@version, plus caller → service only for
 * traffic with no version. With real traffic this is the count to wait for: it includes whatever
 * the mesh saw beyond the generated edges (and lacks an edge whose requests all went missing).
 */
import type { StatsSnapshot } from '../../shared/stats.js';

export interface GraphCounts {
  nodes: number;
  edges: number;
}

export function expectedGraph(registered: readonly string[], stats: StatsSnapshot): GraphCounts {
  const kinds = new Map(stats.services.map((entry) => [entry.service, entry.kind]));
  const services = new Set(registered);
  for (const [name, kind] of kinds) if (kind === 'service') services.add(name);
  const versioned = new Set(stats.edges.filter((edge) => edge.version !== null).map((edge) => `${edge.caller}\n${edge.service}`));
  const callers = new Set<string>();
  const externalCallers = new Set<string>();
  let edges = 0;
  for (const edge of stats.edges) {
    const kind = kinds.get(edge.service) ?? (services.has(edge.service) ? 'service' : 'unknown');
    if (kind === 'external') {
      if (edge.version === null) externalCallers.add(edge.caller);
      continue;
    }
    if (kind !== 'service' || (edge.version === null && versioned.has(`${edge.caller}\n${edge.service}`))) continue;
    edges++;
    if (!services.has(edge.caller)) callers.add(edge.caller);
  }
  for (const caller of externalCallers) if (!services.has(caller)) callers.add(caller);
  const external = [...kinds.values()].some((kind) => kind === 'external') ? 1 : 0;
  return { nodes: services.size + callers.size + external, edges: edges + externalCallers.size };
}
