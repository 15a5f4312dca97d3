// The stats snapshot in rows, as the push stream carries it: what goes in comes out with its
// names back, fractions rounded as documented, and a row that does not fit is refused by path.
// Run: npx vitest run shared/stats-wire.test.ts
import { describe, expect, it } from 'vitest';
import { parsePushBatch, toWireBatch } from './push.js';
import type { SeriesStats, StatsSnapshot } from './stats.js';
import { encodeStatsSnapshot, statsWireSchema } from './stats-wire.js';

function series(rps: number, requests: number, overrides: Partial<SeriesStats> = {}): SeriesStats {
  return {
    rps,
    requests,
    failures: 1,
    successRate: requests === 0 ? null : 0.995,
    latencyMs: requests === 0 ? { p50: null, p95: null, p99: null, max: null } : { p50: 1.25, p95: 4.5, p99: 9.75, max: 31 },
    bytesIn: 2_048,
    bytesOut: 9_000_000_123,
    retries: 2,
    inFlight: 3,
    totals: { requests: requests * 10, failures: 10, bytesIn: 20_480, bytesOut: 90_000, retries: 20 },
    lastSeen: requests === 0 ? null : 1_796_000_000_000,
    ...overrides,
  };
}

const SNAPSHOT: StatsSnapshot = {
  at: 1_796_000_000_500,
  windowSeconds: 60,
  rpsWindowSeconds: 10,
  mesh: series(12.5, 750),
  services: [
    { service: 'world', kind: 'service', stats: series(10, 600) },
    { service: 'hello', kind: 'mock', stats: series(0, 0) },
  ],
  versions: [{ service: 'world', version: 'v2', stats: series(10, 600) }],
  instances: [
    { service: 'world', version: 'v2', instance: '127.0.0.1:3002', stats: series(10, 600) },
    { service: 'world', version: null, instance: '127.0.0.1:3009', stats: series(0, 0) },
  ],
  edges: [
    { caller: 'shell', service: 'world', version: null, stats: series(10, 600) },
    { caller: 'shell', service: 'world', version: 'v2', stats: series(10, 600) },
  ],
  retryBudgets: [{ service: 'world', available: 10, requests: 600, retries: 2, budgetPercent: 20, budgetMinPerSecond: 10, windowSeconds: 10, maxRetries: 2 }],
};

/** Through JSON, as a reader receives it. */
const overTheWire = (snapshot: StatsSnapshot) => statsWireSchema.safeParse(JSON.parse(JSON.stringify(encodeStatsSnapshot(snapshot))));

function problemOf(wire: unknown): string {
  const result = statsWireSchema.safeParse(wire);
  if (result.success) throw new Error(`expected a problem with ${JSON.stringify(wire)}`);
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
}

describe('stats in rows', () => {
  it('gives back every figure and name, nulls included (no request yet, an instance with no version, the service as a whole)', () => {
    expect(overTheWire(SNAPSHOT)).toEqual({ success: true, data: SNAPSHOT });
  });

  it('rounds fractions to 0.0001 (req/s, ms) and success rates to 0.0001 %, and leaves counts whole', () => {
    const fine = series(4.331219505575892, 3, { successRate: 2 / 3, latencyMs: { p50: 0.123456, p95: 2.000049, p99: 7.77777, max: 8 } });
    const parsed = overTheWire({ ...SNAPSHOT, mesh: fine });
    expect(parsed.data?.mesh).toEqual({ ...fine, rps: 4.3312, successRate: 0.666667, latencyMs: { p50: 0.1235, p95: 2, p99: 7.7778, max: 8 } });
  });

  it('is a third of the named form or less', () => {
    const many: StatsSnapshot = {
      ...SNAPSHOT,
      edges: Array.from({ length: 300 }, (_, index) => ({
        caller: `svc-${index}`,
        service: `svc-${index + 1}`,
        version: index % 2 ? 'v1' : null,
        stats: series(1 + Math.random() * 100, 60 + index, {
          successRate: Math.random(),
          latencyMs: { p50: Math.random() * 10, p95: Math.random() * 50, p99: Math.random() * 100, max: 120.5 },
        }),
      })),
    };
    const named = JSON.stringify(many).length;
    const rows = JSON.stringify(encodeStatsSnapshot(many)).length;
    expect(rows / named).toBeLessThan(1 / 3);
  });

  it('refuses a row that does not fit, naming where', () => {
    const wire = JSON.parse(JSON.stringify(encodeStatsSnapshot(SNAPSHOT))) as Record<string, unknown[][]>;
    const edges = wire.edges ?? [];
    const withEdge = (row: unknown[]) => ({ ...wire, edges: [row] });
    const edge = edges[1] ?? [];
    expect(problemOf(withEdge(edge.slice(0, -1)))).toBe('edges: row 0 is not [caller, service, version or null, …18 figures]');
    expect(problemOf(withEdge([null, ...edge.slice(1)]))).toMatch(/^edges: row 0 is not /);
    expect(problemOf(withEdge([...edge.slice(0, 3), 'fast', ...edge.slice(4)]))).toMatch(/^edges: row 0 is not /);
    // rps may not be null; success rate may (no request in the window).
    expect(problemOf(withEdge([...edge.slice(0, 3), null, ...edge.slice(4)]))).toMatch(/^edges: row 0 is not /);
    expect(statsWireSchema.safeParse(withEdge([...edge.slice(0, 6), null, ...edge.slice(7)])).success).toBe(true);
    expect(problemOf({ ...wire, services: [['world', null, ...edge.slice(3)]] })).toBe('services: row 0 is not [service, kind, …18 figures]');
    expect(problemOf({ ...wire, edges: [edges[0], edges[1], edge.slice(1)] })).toMatch(/^edges: row 2 is not /);
    expect(problemOf({ ...wire, edges: { 0: edge } })).toBe('edges: expected a list of rows [caller, service, version or null, …18 figures]');
    expect(problemOf({ ...wire, mesh: { rps: 1 } })).toBe('mesh: expected a row of 18 figures');
  });

  it('travels in push batches as rows and is read back as a snapshot', () => {
    const batch = { seq: 3, items: [{ kind: 'stats' as const, stats: SNAPSHOT }], dropped: 0 };
    const data = JSON.stringify(toWireBatch(batch));
    expect(data).not.toContain('"latencyMs"');
    expect(parsePushBatch(data)).toEqual(batch);
  });
});
