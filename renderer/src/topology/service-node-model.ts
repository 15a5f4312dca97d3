/**
 * One service's node in the graph model: its versions (registered, routed to, or only seen in
 * traffic) with their share of the route, instance health and traffic. Lookups go through an index
 * built once per graph, so a mesh of hundreds of services costs linear time, not quadratic.
 */
import type { ServiceView } from '../../../shared/model.js';
import type { ServiceRoute } from '../../../shared/routes.js';
import type { SeriesStats } from '../../../shared/stats.js';
import { serviceSize } from './graph-geometry.js';
import { serviceNodeId } from './graph-ids.js';
import type { GraphEdge, GraphInput, GraphNode, VersionTarget } from './graph-model.js';
import { healthOf } from './health.js';
import { healthDisplay } from '../components/health-display.js';

/** Lookups by service, built once per graph: a per-service scan of every list would be quadratic. */
export interface InputIndex {
  views: Map<string, ServiceView>;
  routes: Map<string, ServiceRoute>;
  serviceStats: Map<string, SeriesStats>;
  versionStats: Map<string, Map<string, SeriesStats>>;
  edgeVersions: Map<string, Set<string>>;
}

export function indexInput(input: GraphInput, edges: readonly GraphEdge[]): InputIndex {
  const versionStats = new Map<string, Map<string, SeriesStats>>();
  for (const entry of input.stats?.versions ?? []) {
    let versions = versionStats.get(entry.service);
    if (!versions) versionStats.set(entry.service, (versions = new Map()));
    versions.set(entry.version, entry.stats);
  }
  const edgeVersions = new Map<string, Set<string>>();
  for (const edge of edges) {
    if (edge.version === null) continue;
    let versions = edgeVersions.get(edge.service);
    if (!versions) edgeVersions.set(edge.service, (versions = new Set()));
    versions.add(edge.version);
  }
  return {
    views: new Map((input.services ?? []).map((service) => [service.name, service])),
    routes: new Map((input.routes ?? []).map((route) => [route.service, route])),
    serviceStats: new Map((input.stats?.services ?? []).map((entry) => [entry.service, entry.stats])),
    versionStats,
    edgeVersions,
  };
}

export function serviceNode(name: string, input: GraphInput, index: InputIndex): GraphNode {
  const view = index.views.get(name) ?? null;
  const route = index.routes.get(name) ?? null;
  const serviceStats = index.serviceStats.get(name) ?? null;
  const versionStats = index.versionStats.get(name) ?? new Map<string, SeriesStats>();

  const names: string[] = [];
  const add = (version: string) => {
    if (!names.includes(version)) names.push(version);
  };
  for (const version of view?.versions ?? []) add(version.name);
  for (const version of route?.versions ?? []) add(version);
  const seen = new Set<string>([...versionStats.keys(), ...(index.edgeVersions.get(name) ?? [])]);
  for (const version of [...seen].sort()) add(version);

  const versions = names.map((version): VersionTarget => {
    const registeredVersion = view?.versions.find((entry) => entry.name === version) ?? null;
    const stats = versionStats.get(version);
    const mock = input.mocks?.find((entry) => entry.service === name && entry.version === version);
    return {
      name: version,
      share: route ? (route.effectiveWeights[version] ?? 0) : null,
      instances: (registeredVersion?.instances ?? []).map((instance) => {
        const display = healthDisplay(instance);
        return { address: instance.address, health: display.state, source: display.source, summary: display.summary };
      }),
      registered: registeredVersion !== null,
      rps: stats?.rps ?? 0,
      successRate: stats?.successRate ?? null,
      mock: mock ? { hits: mock.hits, misses: mock.misses } : null,
    };
  });
  const successRate = serviceStats?.successRate ?? null;
  return {
    id: serviceNodeId(name),
    data: {
      kind: 'service',
      name,
      versions,
      registered: view !== null,
      rps: serviceStats?.rps ?? 0,
      successRate,
      p99: serviceStats?.latencyMs.p99 ?? null,
      health: healthOf(successRate, input.thresholds),
      faulted: (input.faults ?? []).some((fault) => fault.service === name),
      customRoute: route?.route != null,
    },
    ...serviceSize(versions.length),
  };
}
