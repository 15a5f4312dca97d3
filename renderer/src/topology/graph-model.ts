/**
 * The topology as data: a pure function of what the mesh pushed (services, stats, routes, faults)
 * and the user's thresholds. No React, no DOM, no positions (graph-layout.ts places the nodes), so
 * it is unit-tested in Node and recomputed cheaply on every stats snapshot.
 *
 * Nodes: one per service (registered, or still seen in traffic), one per caller that is not a
 * service (`shell`, a container…), and one grouped node for every external host, which could
 * otherwise grow without end. Edges run from a caller to the version of the service that answered
 * (a distinct target handle per version); traffic with no version yet goes to the service itself.
 */
import type { ServiceView } from '../../../shared/model.js';
import type { Fault, ServiceRoute } from '../../../shared/routes.js';
import type { EdgeStats, SeriesStats, StatsSnapshot } from '../../../shared/stats.js';
import type { Thresholds } from '../settings/settings-model.js';
import {
  CALLER_HEIGHT,
  CALLER_WIDTH,
  EXTERNAL_HEIGHT,
  EXTERNAL_WIDTH,
  SERVICE_TARGET_HANDLE,
  serviceSize,
  versionHandle,
} from './graph-geometry.js';

/** Success-rate health; `none` when nothing was measured in the window. */
export type Health = 'good' | 'warn' | 'bad' | 'none';

export interface InstanceDot {
  address: string;
  health: string;
  reason: string | null;
}

export interface VersionTarget {
  name: string;
  /** Share of the service's traffic the route sends here, 0..1; null while routes are unknown. */
  share: number | null;
  instances: InstanceDot[];
  /** False for a version only seen in traffic (it left the registry). */
  registered: boolean;
  rps: number;
  successRate: number | null;
}

export interface ServiceNodeData {
  kind: 'service';
  name: string;
  versions: VersionTarget[];
  registered: boolean;
  rps: number;
  successRate: number | null;
  p99: number | null;
  health: Health;
  faulted: boolean;
  /** The route was changed from its default (everything to the first version). */
  customRoute: boolean;
  [key: string]: unknown;
}

export interface CallerNodeData {
  kind: 'caller';
  name: string;
  rps: number;
  [key: string]: unknown;
}

export interface ExternalNodeData {
  kind: 'external';
  hosts: string[];
  rps: number;
  successRate: number | null;
  health: Health;
  [key: string]: unknown;
}

export type GraphNodeData = ServiceNodeData | CallerNodeData | ExternalNodeData;

export interface GraphNode {
  id: string;
  data: GraphNodeData;
  width: number;
  height: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  targetHandle: string | null;
  caller: string;
  /** The service, or `external` for the grouped external edge. */
  service: string;
  version: string | null;
  rps: number;
  requests: number;
  successRate: number | null;
  p99: number | null;
  health: Health;
  /** No requests in the rate window: drawn faded and still. */
  idle: boolean;
  [key: string]: unknown;
}

export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface GraphInput {
  services: readonly ServiceView[] | null;
  stats: StatsSnapshot | null;
  routes: readonly ServiceRoute[] | null;
  faults: readonly Fault[] | null;
  thresholds: Thresholds;
}

export const EXTERNAL_NODE_ID = 'external';
export const serviceNodeId = (name: string): string => `svc:${name}`;
export const callerNodeId = (name: string): string => `caller:${name}`;
export const edgeId = (caller: string, service: string, version: string | null): string => `${caller}->${service}${version === null ? '' : `@${version}`}`;

export function healthOf(successRate: number | null, thresholds: Thresholds): Health {
  if (successRate === null) return 'none';
  if (successRate < thresholds.errorBelow) return 'bad';
  if (successRate < thresholds.warnBelow) return 'warn';
  return 'good';
}

export function buildGraph(input: GraphInput): GraphModel {
  const { stats, thresholds } = input;
  const kinds = new Map(stats?.services.map((entry) => [entry.service, entry.kind]) ?? []);
  const registered = new Map((input.services ?? []).map((service) => [service.name, service]));
  const serviceNames = new Set(registered.keys());
  for (const [name, kind] of kinds) if (kind === 'service') serviceNames.add(name);

  const edges = graphEdges(stats?.edges ?? [], kinds, serviceNames, thresholds);
  const nodes: GraphNode[] = [];
  for (const name of [...serviceNames].sort()) nodes.push(serviceNode(name, input, edges));

  const callers = new Map<string, number>();
  for (const edge of edges) {
    if (!serviceNames.has(edge.caller)) callers.set(edge.caller, (callers.get(edge.caller) ?? 0) + edge.rps);
  }
  for (const [name, rps] of [...callers].sort(([a], [b]) => a.localeCompare(b))) {
    nodes.push({ id: callerNodeId(name), data: { kind: 'caller', name, rps }, width: CALLER_WIDTH, height: CALLER_HEIGHT });
  }

  const hosts = [...kinds].filter(([, kind]) => kind === 'external').map(([name]) => name).sort();
  if (hosts.length > 0) {
    const external = (stats?.services ?? []).filter((entry) => entry.kind === 'external').map((entry) => entry.stats);
    const { rps, successRate } = combine(external);
    nodes.push({
      id: EXTERNAL_NODE_ID,
      data: { kind: 'external', hosts, rps, successRate, health: healthOf(successRate, thresholds) },
      width: EXTERNAL_WIDTH,
      height: EXTERNAL_HEIGHT,
    });
  }
  return { nodes, edges };
}

function graphEdges(entries: readonly EdgeStats[], kinds: Map<string, string>, services: Set<string>, thresholds: Thresholds): GraphEdge[] {
  const versioned = new Set(entries.filter((entry) => entry.version !== null).map((entry) => `${entry.caller}\n${entry.service}`));
  const sourceOf = (caller: string) => (services.has(caller) ? serviceNodeId(caller) : callerNodeId(caller));
  const edges: GraphEdge[] = [];
  const external = new Map<string, SeriesStats[]>();
  for (const entry of entries) {
    const kind = kinds.get(entry.service) ?? (services.has(entry.service) ? 'service' : 'unknown');
    if (kind === 'external') {
      if (entry.version === null) external.set(entry.caller, [...(external.get(entry.caller) ?? []), entry.stats]);
      continue;
    }
    if (kind !== 'service') continue; // answered by the proxy itself: no destination to draw
    // The whole-service edge duplicates its per-version edges; keep it only for traffic with no version.
    if (entry.version === null && versioned.has(`${entry.caller}\n${entry.service}`)) continue;
    const { stats } = entry;
    edges.push({
      id: edgeId(entry.caller, entry.service, entry.version),
      source: sourceOf(entry.caller),
      target: serviceNodeId(entry.service),
      targetHandle: entry.version === null ? SERVICE_TARGET_HANDLE : versionHandle(entry.version),
      caller: entry.caller,
      service: entry.service,
      version: entry.version,
      rps: stats.rps,
      requests: stats.requests,
      successRate: stats.successRate,
      p99: stats.latencyMs.p99,
      health: healthOf(stats.successRate, thresholds),
      idle: stats.rps === 0,
    });
  }
  for (const [caller, series] of external) {
    const { rps, requests, successRate, p99 } = combine(series);
    edges.push({
      id: edgeId(caller, EXTERNAL_NODE_ID, null),
      source: sourceOf(caller),
      target: EXTERNAL_NODE_ID,
      targetHandle: null,
      caller,
      service: EXTERNAL_NODE_ID,
      version: null,
      rps,
      requests,
      successRate,
      p99,
      health: healthOf(successRate, thresholds),
      idle: rps === 0,
    });
  }
  return edges.sort((a, b) => a.id.localeCompare(b.id));
}

/** Sums several series; the p99 of the group is the worst p99 (an upper bound, not a merge). */
function combine(series: readonly SeriesStats[]): { rps: number; requests: number; successRate: number | null; p99: number | null } {
  let rps = 0;
  let requests = 0;
  let failures = 0;
  let p99: number | null = null;
  for (const stats of series) {
    rps += stats.rps;
    requests += stats.requests;
    failures += stats.failures;
    if (stats.latencyMs.p99 !== null) p99 = Math.max(p99 ?? 0, stats.latencyMs.p99);
  }
  return { rps, requests, successRate: requests === 0 ? null : (requests - failures) / requests, p99 };
}

function serviceNode(name: string, input: GraphInput, edges: readonly GraphEdge[]): GraphNode {
  const view = input.services?.find((service) => service.name === name) ?? null;
  const route = input.routes?.find((entry) => entry.service === name) ?? null;
  const serviceStats = input.stats?.services.find((entry) => entry.service === name)?.stats ?? null;
  const versionStats = new Map((input.stats?.versions ?? []).filter((entry) => entry.service === name).map((entry) => [entry.version, entry.stats]));

  const names: string[] = [];
  const add = (version: string) => {
    if (!names.includes(version)) names.push(version);
  };
  for (const version of view?.versions ?? []) add(version.name);
  for (const version of route?.versions ?? []) add(version);
  const seen = new Set<string>([...versionStats.keys(), ...edges.filter((edge) => edge.service === name && edge.version !== null).map((edge) => edge.version as string)]);
  for (const version of [...seen].sort()) add(version);

  const versions = names.map((version): VersionTarget => {
    const registeredVersion = view?.versions.find((entry) => entry.name === version) ?? null;
    const stats = versionStats.get(version);
    return {
      name: version,
      share: route ? (route.effectiveWeights[version] ?? 0) : null,
      instances: (registeredVersion?.instances ?? []).map((instance) => ({ address: instance.address, health: instance.health, reason: instance.healthReason })),
      registered: registeredVersion !== null,
      rps: stats?.rps ?? 0,
      successRate: stats?.successRate ?? null,
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
