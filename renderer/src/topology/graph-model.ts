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
import type { Bypass } from '../../../shared/bypass.js';
import type { MockView } from '../../../shared/mock.js';
import type { ServiceView } from '../../../shared/model.js';
import type { Fault, ServiceRoute } from '../../../shared/routes.js';
import type { EdgeStats, SeriesStats, StatsSnapshot } from '../../../shared/stats.js';
import { recencyOf, retiredVersions } from './edge-recency.js';
import type { Thresholds } from '../settings/settings-model.js';
import { CALLER_HEIGHT, CALLER_WIDTH, EXTERNAL_HEIGHT, EXTERNAL_WIDTH, SERVICE_TARGET_HANDLE, versionHandle } from './graph-geometry.js';
import { bypassEdgeId, callerNodeId, edgeId, EXTERNAL_NODE_ID, serviceNodeId } from './graph-ids.js';
import { healthOf, type Health } from './health.js';
import type { HealthSource } from '../components/health-display.js';
import { indexInput, serviceNode } from './service-node-model.js';

export { callerNodeId, edgeId, EXTERNAL_NODE_ID, serviceNodeId, healthOf, type Health };

export interface InstanceDot {
  address: string;
  /** From its check, or from traffic without one (components/health-display.ts). */
  health: string;
  source: HealthSource;
  /** The check's and the traffic's verdicts in one line, for the dot's tooltip. */
  summary: string;
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
  /** A version the mesh answers from a recording (record-to-mock): its hits and misses; null for any other. */
  mock: { hits: number; misses: number } | null;
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
  /** No request for a few seconds (edge-recency.ts): drawn faded and still. */
  idle: boolean;
  /** The route in force sends this version nothing: drawn as history, without an arrow. */
  retired: boolean;
  [key: string]: unknown;
}

/** A process seen calling a service straight, past the proxy: drawn dashed, carries no traffic numbers. */
export interface BypassEdge {
  id: string;
  source: string;
  target: string;
  targetHandle: string;
  bypass: Bypass;
  [key: string]: unknown;
}

export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Bypasses of registered services (absent: none known). */
  bypasses?: BypassEdge[];
}

export interface GraphInput {
  services: readonly ServiceView[] | null;
  stats: StatsSnapshot | null;
  routes: readonly ServiceRoute[] | null;
  faults: readonly Fault[] | null;
  thresholds: Thresholds;
  bypasses?: readonly Bypass[] | null;
  /** Recordings served as versions (absent: none). */
  mocks?: readonly MockView[] | null;
}

export function buildGraph(input: GraphInput): GraphModel {
  const { stats, thresholds } = input;
  const kinds = new Map(stats?.services.map((entry) => [entry.service, entry.kind]) ?? []);
  const registered = new Map((input.services ?? []).map((service) => [service.name, service]));
  const serviceNames = new Set(registered.keys());
  for (const [name, kind] of kinds) if (kind === 'service') serviceNames.add(name);

  const edges = graphEdges(stats?.edges ?? [], kinds, serviceNames, thresholds, { at: stats?.at ?? 0, retired: retiredVersions(input.routes) });
  const index = indexInput(input, edges);
  const nodes: GraphNode[] = [];
  for (const name of [...serviceNames].sort()) nodes.push(serviceNode(name, input, index));

  const callers = new Map<string, number>();
  for (const edge of edges) {
    if (!serviceNames.has(edge.caller)) callers.set(edge.caller, (callers.get(edge.caller) ?? 0) + edge.rps);
  }
  const bypasses = bypassEdges(input.bypasses ?? [], nodes);
  // A bypassing process that is not a service gets a caller node of its own (it sends nothing through the proxy).
  for (const { bypass } of bypasses) if (!serviceNames.has(bypass.caller) && !callers.has(bypass.caller)) callers.set(bypass.caller, 0);
  for (const [name, rps] of [...callers].sort(([a], [b]) => a.localeCompare(b))) {
    nodes.push({ id: callerNodeId(name), data: { kind: 'caller', name, rps }, width: CALLER_WIDTH, height: CALLER_HEIGHT });
  }

  const hosts = [...kinds]
    .filter(([, kind]) => kind === 'external')
    .map(([name]) => name)
    .sort();
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
  return bypasses.length > 0 ? { nodes, edges, bypasses } : { nodes, edges };
}

/** One dashed edge per bypass whose service is on the graph, into the version it reached. */
function bypassEdges(bypasses: readonly Bypass[], serviceNodes: readonly GraphNode[]): BypassEdge[] {
  const versionsOf = new Map(
    serviceNodes.flatMap((node) => (node.data.kind === 'service' ? [[node.data.name, node.data.versions.map((version) => version.name)]] : [])),
  );
  return bypasses.flatMap((bypass) => {
    const versions = versionsOf.get(bypass.service);
    if (!versions) return [];
    return [
      {
        id: bypassEdgeId(bypass.id),
        source: versionsOf.has(bypass.caller) ? serviceNodeId(bypass.caller) : callerNodeId(bypass.caller),
        target: serviceNodeId(bypass.service),
        targetHandle: versions.includes(bypass.version) ? versionHandle(bypass.version) : SERVICE_TARGET_HANDLE,
        bypass,
      },
    ];
  });
}

function graphEdges(
  entries: readonly EdgeStats[],
  kinds: Map<string, string>,
  services: Set<string>,
  thresholds: Thresholds,
  { at, retired }: { at: number; retired: ReadonlySet<string> },
): GraphEdge[] {
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
    const recency = recencyOf(stats, at);
    if (recency === 'gone') continue;
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
      idle: recency === 'idle',
      retired: entry.version !== null && retired.has(`${entry.service}\n${entry.version}`),
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
      retired: false,
    });
  }
  // Code-point order: a stable order is all that is needed, and localeCompare cost 10 ms for 1,000 edges.
  return edges.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
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
