/**
 * A generated mesh for the graph benchmark: services with one to three versions, callers wired as a
 * layered call graph (lower-numbered services call higher ones, and `shell` calls the entry
 * services, as a real request flows), a given number of drawn edges (caller → service@version)
 * and a total request rate split between them. Seeded, so every run draws the same graph; the
 * per-second numbers wobble around their base rate like live traffic does.
 */
import type { RequestEvent } from '../../shared/events.js';
import type { ServiceView } from '../../shared/model.js';
import type { ServiceRoute } from '../../shared/routes.js';
import type { SeriesStats, StatsSnapshot } from '../../shared/stats.js';

export interface MeshSize {
  services: number;
  edges: number;
  totalRps: number;
}

export interface SyntheticEdge {
  caller: string;
  service: string;
  version: string;
  rps: number;
}

export interface SyntheticMesh {
  size: MeshSize;
  services: ServiceView[];
  routes: ServiceRoute[];
  edges: SyntheticEdge[];
}

/** mulberry32: a tiny seeded PRNG, good enough to spread a synthetic graph. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function serviceName(index: number): string {
  return `svc-${String(index).padStart(3, '0')}`;
}

export function generateMesh(size: MeshSize, seed = 7): SyntheticMesh {
  const next = random(seed);
  const services: ServiceView[] = [];
  const routes: ServiceRoute[] = [];
  let port = 20_000;
  for (let index = 0; index < size.services; index++) {
    const name = serviceName(index);
    const versionCount = 1 + Math.floor(next() * 3);
    const versions = Array.from({ length: versionCount }, (_, v) => `v${v + 1}`);
    services.push({
      name,
      versions: versions.map((version) => ({
        name: version,
        instances: Array.from({ length: 1 + Math.floor(next() * 2) }, () => {
          const instancePort = port++;
          return {
            address: `127.0.0.1:${instancePort}`,
            host: '127.0.0.1',
            port: instancePort,
            origin: 'meshdesk.yaml',
            health: next() < 0.9 ? 'healthy' : 'failing',
            healthReason: null,
            healthCheck: 'http GET /health every 10s',
            labels: {},
            weight: 1,
          };
        }),
      })),
    });
    const canary = versionCount > 1 && next() < 0.3;
    const weights = canary ? { v1: 90, v2: 10 } : null;
    routes.push({
      service: name,
      versions,
      route: weights ? { weights, headerRules: [] } : null,
      effectiveWeights: Object.fromEntries(versions.map((version, v) => [version, weights ? (weights[version as 'v1' | 'v2'] ?? 0) / 100 : v === 0 ? 1 : 0])),
      history: [],
    });
  }

  // Distinct (caller, service@version) triples, callers always "upstream" of callees.
  const edges: SyntheticEdge[] = [];
  const seen = new Set<string>();
  const entries = Math.max(1, Math.round(size.services / 10));
  for (let index = 0; index < entries && edges.length < size.edges; index++) add('shell', index);
  let guard = 0;
  while (edges.length < size.edges && guard++ < size.edges * 100) {
    const callee = 1 + Math.floor(next() * (size.services - 1));
    const caller = Math.max(0, callee - 1 - Math.floor(next() * Math.min(callee, 8)));
    add(serviceName(caller), callee);
  }
  const weights = edges.map(() => 0.2 + next());
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  edges.forEach((edge, index) => (edge.rps = (size.totalRps * (weights[index] ?? 0)) / total));
  return { size, services, routes, edges };

  function add(caller: string, calleeIndex: number): void {
    const service = services[calleeIndex];
    if (!service) return;
    const version = service.versions[Math.floor(next() * service.versions.length)]?.name ?? 'v1';
    const key = `${caller}>${service.name}@${version}`;
    if (seen.has(key) || caller === service.name) return;
    seen.add(key);
    edges.push({ caller, service: service.name, version, rps: 0 });
  }
}

function series(rps: number, successRate: number, p99: number, atMs: number): SeriesStats {
  const requests = Math.round(rps * 60);
  const failures = Math.round(requests * (1 - successRate));
  return {
    rps,
    requests,
    failures,
    successRate: requests === 0 ? null : successRate,
    latencyMs: { p50: p99 / 5, p95: p99 / 2, p99, max: p99 * 1.5 },
    bytesIn: requests * 200,
    bytesOut: requests * 900,
    retries: 0,
    inFlight: 0,
    totals: { requests: requests * 10, failures: failures * 10, bytesIn: 0, bytesOut: 0, retries: 0 },
    lastSeen: atMs,
  };
}

/** The stats the mesh would push at `atMs`: every edge at its rate ±20 %, a few edges unhealthy. */
export function statsAt(mesh: SyntheticMesh, atMs: number, seed: number): StatsSnapshot {
  const next = random(seed);
  const snapshot: StatsSnapshot = {
    at: atMs,
    windowSeconds: 60,
    rpsWindowSeconds: 10,
    mesh: series(mesh.size.totalRps, 0.99, 80, atMs),
    services: [],
    versions: [],
    instances: [],
    edges: [],
  };
  const perService = new Map<string, number>();
  const perVersion = new Map<string, number>();
  const perCallerService = new Map<string, number>();
  mesh.edges.forEach((edge, index) => {
    const rps = edge.rps * (0.8 + 0.4 * next());
    const successRate = index % 17 === 0 ? 0.9 + 0.08 * next() : 0.995 + 0.005 * next();
    snapshot.edges.push({ caller: edge.caller, service: edge.service, version: edge.version, stats: series(rps, successRate, 20 + 200 * next(), atMs) });
    perService.set(edge.service, (perService.get(edge.service) ?? 0) + rps);
    perVersion.set(`${edge.service} ${edge.version}`, (perVersion.get(`${edge.service} ${edge.version}`) ?? 0) + rps);
    perCallerService.set(`${edge.caller} ${edge.service}`, (perCallerService.get(`${edge.caller} ${edge.service}`) ?? 0) + rps);
  });
  for (const [key, rps] of perCallerService) {
    const [caller = '', service = ''] = key.split(' ');
    snapshot.edges.push({ caller, service, version: null, stats: series(rps, 0.99, 120, atMs) });
  }
  for (const service of mesh.services) {
    snapshot.services.push({ service: service.name, kind: 'service', stats: series(perService.get(service.name) ?? 0, 0.99, 120, atMs) });
    for (const version of service.versions) {
      const rps = perVersion.get(`${service.name} ${version.name}`) ?? 0;
      snapshot.versions.push({ service: service.name, version: version.name, stats: series(rps, 0.99, 120, atMs) });
      for (const instance of version.instances) {
        snapshot.instances.push({
          service: service.name,
          version: version.name,
          instance: instance.address,
          stats: series(rps / version.instances.length, 0.99, 120, atMs),
        });
      }
    }
  }
  return snapshot;
}

/** `count` request events spread over the edges by rate, as the proxy would emit them. */
export function requestEvents(mesh: SyntheticMesh, count: number, firstId: number, atMs: number, seed: number): RequestEvent[] {
  const next = random(seed);
  const total = mesh.edges.reduce((sum, edge) => sum + edge.rps, 0);
  const events: RequestEvent[] = [];
  for (let index = 0; index < count; index++) {
    let pick = next() * total;
    const edge = mesh.edges.find((candidate) => (pick -= candidate.rps) <= 0) ?? mesh.edges[0];
    if (!edge) break;
    const end = 2 + next() * 40;
    const path = `/items/${Math.floor(next() * 1000)}`;
    const status = next() < 0.01 ? 503 : 200;
    events.push({
      id: firstId + index,
      kind: 'service',
      caller: edge.caller,
      service: edge.service,
      version: edge.version,
      instance: '127.0.0.1:20000',
      method: 'GET',
      path,
      status,
      startedAt: atMs - end,
      timings: { dispatched: 0.3, firstByte: end * 0.8, end },
      bytesIn: 0,
      bytesOut: 900,
      error: null,
      failed: status >= 500,
      retries: 0,
    });
  }
  return events;
}
