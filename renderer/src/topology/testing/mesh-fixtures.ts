/**
 * Small builders of the mesh's pushed state (services, stats, routes) for the topology's unit
 * tests and the graph benchmark's synthetic feed: whole, schema-shaped objects with only the
 * numbers a test cares about spelled out.
 */
import type { InstanceHealth, ServiceView, TrafficHealth } from '../../../../shared/model.js';
import type { ServiceRoute } from '../../../../shared/routes.js';
import type { SeriesStats, StatsSnapshot } from '../../../../shared/stats.js';

const SNAPSHOT_AT = 1_000_000;

export function series(rps: number, successRate: number | null = rps > 0 ? 1 : null, p99: number | null = rps > 0 ? 20 : null): SeriesStats {
  const requests = Math.round(rps * 60);
  const failures = successRate === null ? 0 : Math.round(requests * (1 - successRate));
  return {
    rps,
    requests,
    failures,
    successRate,
    latencyMs: { p50: p99 === null ? null : p99 / 4, p95: p99 === null ? null : p99 / 2, p99, max: p99 },
    bytesIn: 0,
    bytesOut: 0,
    retries: 0,
    inFlight: 0,
    totals: { requests, failures, bytesIn: 0, bytesOut: 0, retries: 0 },
    // A second before statsSnapshot's default `at`: an edge with traffic is live.
    lastSeen: rps > 0 ? SNAPSHOT_AT - 1_000 : null,
  };
}

/** Instances with `health` from a check (none when it is `unknown`), and `traffic` when given. */
export function serviceView(name: string, versions: Record<string, string[]>, health: InstanceHealth = 'unknown', traffic?: TrafficHealth): ServiceView {
  return {
    name,
    versions: Object.entries(versions).map(([version, addresses]) => ({
      name: version,
      instances: addresses.map((address) => {
        const colon = address.lastIndexOf(':');
        return {
          address,
          host: address.slice(0, colon),
          port: Number(address.slice(colon + 1)),
          origin: 'meshdesk.yaml:3',
          health,
          healthReason: null,
          healthCheck: health === 'unknown' ? null : 'http GET /health every 10s',
          labels: {},
          weight: 1,
          ...(traffic && { traffic }),
        };
      }),
    })),
  };
}

export function serviceRoute(service: string, versions: string[], weights: Record<string, number> | null = null): ServiceRoute {
  const total = weights ? Object.values(weights).reduce((sum, weight) => sum + weight, 0) : 0;
  return {
    service,
    versions,
    route: weights ? { weights, headerRules: [] } : null,
    effectiveWeights: weights
      ? Object.fromEntries(versions.map((version) => [version, (weights[version] ?? 0) / total]))
      : Object.fromEntries(versions.map((version, index) => [version, index === 0 ? 1 : 0])),
    history: [],
  };
}

export interface EdgeSpec {
  caller: string;
  service: string;
  version?: string | null;
  rps: number;
  successRate?: number | null;
  p99?: number | null;
}

/** A snapshot whose services, versions and edges follow from the edges given. */
export function statsSnapshot(edges: EdgeSpec[], external: string[] = [], at = SNAPSHOT_AT): StatsSnapshot {
  const serviceRps = new Map<string, number>();
  const versionRps = new Map<string, number>();
  for (const edge of edges) {
    serviceRps.set(edge.service, (serviceRps.get(edge.service) ?? 0) + edge.rps);
    if (edge.version) versionRps.set(`${edge.service}@${edge.version}`, (versionRps.get(`${edge.service}@${edge.version}`) ?? 0) + edge.rps);
  }
  const snapshotEdges: StatsSnapshot['edges'] = [];
  for (const edge of edges) {
    const stats = series(edge.rps, edge.successRate, edge.p99);
    if (edge.version) snapshotEdges.push({ caller: edge.caller, service: edge.service, version: edge.version, stats });
    if (!snapshotEdges.some((entry) => entry.caller === edge.caller && entry.service === edge.service && entry.version === null)) {
      snapshotEdges.push({ caller: edge.caller, service: edge.service, version: null, stats });
    }
  }
  return {
    at,
    windowSeconds: 60,
    rpsWindowSeconds: 10,
    mesh: series([...serviceRps.values()].reduce((sum, rps) => sum + rps, 0)),
    services: [...serviceRps].map(([service, rps]) => ({ service, kind: external.includes(service) ? 'external' : 'service', stats: series(rps) })),
    versions: [...versionRps].map(([key, rps]) => {
      const [service = '', version = ''] = key.split('@');
      return { service, version, stats: series(rps) };
    }),
    instances: [],
    edges: snapshotEdges,
  };
}
