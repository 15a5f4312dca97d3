// The sliding windows, in-flight counts, classifier and bounds of the stats, stepped through time
// with a test clock (a real minute of traffic would make the suite slow; the real-traffic counts
// and percentiles are in telemetry.test.ts). Run with `npx vitest run main/mesh/telemetry/stats.test.ts`.
import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../../shared/events.js';
import { event as exchangeEvent } from '../../../shared/testing/exchange-fixture.js';
import { defaultIsFailure } from './classify.js';
import { Stats } from './stats.js';
import { Telemetry } from './telemetry.js';

let nextId = 1;
/** The shared fixture's event under a new id, on world@v1 at 127.0.0.1:7002, taking `latency` ms. */
function event(fields: Partial<RequestEvent> & { latency?: number } = {}): RequestEvent {
  const { latency = 10, ...rest } = fields;
  return exchangeEvent({
    id: nextId++,
    version: 'v1',
    instance: '127.0.0.1:7002',
    timings: { dispatched: 0.1, firstByte: latency / 2, end: latency },
    bytesIn: 100,
    bytesOut: 200,
    ...rest,
  });
}

const T0 = 1_700_000_000_000;

function world(stats: Stats, now: number) {
  return stats.snapshot(now).services.find((row) => row.service === 'world')?.stats;
}

describe('Stats windows', () => {
  it('keeps counts for 60 s and rates over the last 10 s, totals forever', () => {
    const stats = new Stats({}, T0);
    for (let second = 0; second < 30; second++) {
      for (let i = 0; i < 4; i++) stats.record(event(), T0 + second * 1_000 + 500);
    }
    // 30 s of 4 rps; read half-way through second 29.
    const now = T0 + 29_500;
    expect(world(stats, now)).toMatchObject({ requests: 120, bytesIn: 12_000, bytesOut: 24_000 });
    expect(world(stats, now)?.rps).toBeCloseTo(40 / 9.5, 5);
    // 40 s later: only the last 20 s of traffic is still in the window, none in the rps window.
    const later = world(stats, T0 + 69_500);
    expect(later).toMatchObject({ requests: 80, rps: 0, totals: { requests: 120, failures: 0, bytesIn: 12_000, bytesOut: 24_000, retries: 0 } });
    // Past the window: nothing in it, latency unknown, totals still there.
    const gone = world(stats, T0 + 120_000);
    expect(gone).toMatchObject({ requests: 0, successRate: null, latencyMs: { p50: null, p95: null, p99: null, max: null } });
    expect(gone?.totals.requests).toBe(120);
  });

  it('lets slow requests leave the latency window as their 10 s bucket ages out', () => {
    const stats = new Stats({}, T0);
    for (let i = 0; i < 10; i++) stats.record(event({ latency: 900 }), T0);
    for (let i = 0; i < 90; i++) stats.record(event({ latency: 2 }), T0 + 30_000);
    const mixed = world(stats, T0 + 30_000)?.latencyMs;
    expect(mixed?.max).toBe(900);
    expect(mixed?.p95).toBeCloseTo(900, 0);
    expect(mixed?.p50).toBeCloseTo(2, 1);
    // At 60 s the first bucket (0–10 s) is out of the window; the fast ones remain.
    const after = world(stats, T0 + 60_000)?.latencyMs;
    expect(after).toEqual({ p50: 2, p95: 2, p99: 2, max: 2 });
  });

  it('moves the latency window in 10 s steps: a bucket leaves whole', () => {
    const stats = new Stats({}, T0);
    stats.record(event({ latency: 900 }), T0 + 9_000);
    stats.record(event({ latency: 2 }), T0 + 10_000);
    expect(world(stats, T0 + 59_999)?.latencyMs.max).toBe(900);
    expect(world(stats, T0 + 60_000)?.latencyMs).toEqual({ p50: 2, p95: 2, p99: 2, max: 2 });
  });

  it('does not divide a burst by less than a second, nor by more time than it has been up', () => {
    const stats = new Stats({}, T0);
    for (let i = 0; i < 50; i++) stats.record(event(), T0 + 100);
    expect(world(stats, T0 + 200)?.rps).toBe(50);
    expect(world(stats, T0 + 2_000)?.rps).toBe(25);
  });

  it('keeps the window right when the clock steps back', () => {
    const stats = new Stats({}, T0);
    stats.record(event({ latency: 50 }), T0 + 30_000);
    stats.record(event({ latency: 10 }), T0 + 20_000);
    stats.record(event({ latency: 20 }), T0 + 31_000);
    expect(world(stats, T0 + 31_000)).toMatchObject({ requests: 3, latencyMs: { max: 50 } });
    expect(world(stats, T0 + 200_000)?.requests).toBe(0);
  });
});

describe('Stats series', () => {
  it('counts in-flight requests from their start to their end at every level', () => {
    const stats = new Stats({}, T0);
    const first = event();
    const second = event({ caller: 'shell', version: 'v2', instance: '127.0.0.1:7003' });
    stats.started(first);
    stats.started(second);
    const during = stats.snapshot(T0);
    expect(during.mesh.inFlight).toBe(2);
    expect(during.services[0]?.stats.inFlight).toBe(2);
    expect(during.versions.map((row) => [row.version, row.stats.inFlight])).toEqual([
      ['v1', 1],
      ['v2', 1],
    ]);
    expect(during.instances.map((row) => [row.instance, row.stats.inFlight])).toEqual([
      ['127.0.0.1:7002', 1],
      ['127.0.0.1:7003', 1],
    ]);
    expect(during.edges.map((row) => [row.caller, row.version, row.stats.inFlight])).toEqual([
      ['hello', null, 1],
      ['hello', 'v1', 1],
      ['shell', null, 1],
      ['shell', 'v2', 1],
    ]);
    // The end may name another caller (attribution settled) or instance (a retry): what the start
    // counted is what the end releases.
    stats.record({ ...first, caller: 'hello-attributed', instance: '127.0.0.1:7009' }, T0 + 10);
    stats.record(second, T0 + 10);
    const after = stats.snapshot(T0 + 20);
    expect(
      [after.mesh, ...after.services, ...after.versions, ...after.instances, ...after.edges].map((row) => ('stats' in row ? row.stats : row).inFlight),
    ).toEqual(Array(1 + 1 + 2 + 3 + 6).fill(0));
  });

  it('keeps no version series without a version, and no instance series for external hosts', () => {
    const stats = new Stats({}, T0);
    stats.record(
      event({ kind: 'external', service: 'example.com', version: null, instance: 'example.com:80', status: 502, error: 'host not found', failed: true }),
      T0,
    );
    const snapshot = stats.snapshot(T0);
    expect(snapshot.services).toMatchObject([{ service: 'example.com', kind: 'external', stats: { requests: 1, failures: 1, successRate: 0 } }]);
    expect(snapshot.versions).toEqual([]);
    expect(snapshot.instances).toEqual([]);
    expect(snapshot.edges.map((row) => [row.caller, row.service, row.version])).toEqual([['hello', 'example.com', null]]);
  });

  it('forgets the service seen longest ago past maxServices', () => {
    const stats = new Stats({ maxServices: 3 }, T0);
    ['a', 'b', 'c'].forEach((service, i) => stats.record(event({ service }), T0 + i));
    stats.record(event({ service: 'a' }), T0 + 10);
    stats.record(event({ service: 'd' }), T0 + 11);
    expect(
      stats
        .snapshot(T0 + 12)
        .services.map((row) => row.service)
        .sort(),
    ).toEqual(['a', 'c', 'd']);
  });

  it('frees idle histograms on a sweep and still reads correctly afterwards', () => {
    const stats = new Stats({}, T0);
    stats.record(event({ latency: 40 }), T0);
    stats.sweep(T0 + 120_000);
    stats.record(event({ latency: 7 }), T0 + 121_000);
    expect(world(stats, T0 + 121_000)).toMatchObject({ requests: 1, latencyMs: { p50: 7, max: 7 }, totals: { requests: 2 } });
  });
});

describe('classification and retries', () => {
  it('fails 5xx, no response, and errors that cut a good response; not 4xx', () => {
    expect(defaultIsFailure(event({ status: 503 }))).toBe(true);
    expect(defaultIsFailure(event({ status: 0, error: 'client aborted' }))).toBe(true);
    expect(defaultIsFailure(event({ status: 200, error: 'upstream reset the connection' }))).toBe(true);
    expect(defaultIsFailure(event({ status: 404 }))).toBe(false);
    expect(defaultIsFailure(event({ status: 400, error: 'request body shorter than its Content-Length' }))).toBe(false);
    expect(defaultIsFailure(event({ status: 302 }))).toBe(false);
  });

  it('records each exchange with failed and retries on it, 0 retries when the proxy reported none', () => {
    const telemetry = new Telemetry();
    const { failed: _failed, retries: _retries, ...proxied } = event({ status: 503 });
    expect(telemetry.record(proxied)).toMatchObject({ failed: true, retries: 0 });
    expect(telemetry.record({ ...proxied, id: nextId++, status: 200, retries: 2 })).toMatchObject({ failed: false, retries: 2 });
  });

  it('uses a configured classifier for the success rate, the log and the metrics alike', async () => {
    let now = T0;
    const telemetry = new Telemetry({ isFailure: (e) => e.status === 429 || e.status >= 500, now: () => now });
    telemetry.record(event({ status: 429 }));
    telemetry.record(event({ retries: 2 }));
    now += 1;
    expect(telemetry.snapshot().mesh).toMatchObject({ requests: 2, failures: 1, retries: 2, successRate: 0.5 });
    expect(telemetry.query({ errorsOnly: true }).exchanges.map((exchange) => exchange.status)).toEqual([429]);
    expect(await telemetry.metricsText()).toMatch(/meshdesk_requests_total\{[^}]*classification="failure",status_class="4xx"\} 1/);
  });
});
