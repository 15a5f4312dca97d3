// The telemetry against a known real load: a real ProxyServer, two real upstream instances of
// `world` whose latency and status each request chooses, real HTTP clients. The stats, the log and
// the Prometheus text must count exactly what was sent, and the percentiles must agree with the
// exact percentiles of the same events within the HDR histogram's precision (1%).
// Run with `npx vitest run main/mesh/telemetry/telemetry.test.ts`.
import { describe, expect, it } from 'vitest';
import type { ProxiedExchange } from '../../../shared/events.js';
import { statsSnapshotSchema, type SeriesStats } from '../../../shared/stats.js';
import { LATENCY_BUCKETS_SECONDS, METRIC_NAMES } from './metrics.js';
import { Telemetry } from './telemetry.js';
import { parsePrometheusText } from './testing/prom-text.js';
import { startControlledUpstream, startRealProxy } from './testing/real-proxy.js';
import { inParallel, proxyClient } from './testing/send.js';

/** Nearest-rank percentile, the definition HDR histograms use. */
function exactPercentile(values: number[], percentile: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(Math.ceil((percentile / 100) * sorted.length), 1) - 1] as number;
}

function expectLatencyOf(stats: SeriesStats, events: ProxiedExchange[]): void {
  const latencies = events.map((event) => event.timings.end);
  for (const [key, percentile] of [
    ['p50', 50],
    ['p95', 95],
    ['p99', 99],
  ] as const) {
    const exact = exactPercentile(latencies, percentile);
    expect(Math.abs((stats.latencyMs[key] as number) - exact), `${key}: ${stats.latencyMs[key]} vs exact ${exact}`).toBeLessThanOrEqual(exact * 0.01 + 0.001);
  }
  expect(Math.abs((stats.latencyMs.max as number) - Math.max(...latencies))).toBeLessThanOrEqual(0.001);
}

async function knownLoad() {
  const proxy = await startRealProxy();
  const a = await startControlledUpstream();
  const b = await startControlledUpstream();
  proxy.register({ world: { v1: [a.address, b.address] } });
  const telemetry = new Telemetry();
  telemetry.attach(proxy.bus);
  const send = proxyClient(proxy.port);
  const hello = { 'x-meshdesk-caller': 'hello' };
  const tasks = [
    ...Array.from({ length: 100 }, () => () => send('http://world/fast', hello)),
    ...Array.from({ length: 18 }, () => () => send('http://world/slower?delay=20', hello)),
    ...Array.from({ length: 2 }, () => () => send('http://world/slowest?delay=120&size=5000', hello)),
    ...Array.from({ length: 70 }, () => () => send('http://world/fast')),
    ...Array.from({ length: 10 }, () => () => send('http://world/broken?status=503')),
  ];
  await inParallel(tasks, 6);
  // The events of the last exchanges are emitted right after their responses end.
  await expect.poll(() => proxy.events.length).toBe(200);
  return { proxy, telemetry, a, b };
}

describe('Telemetry under a known load through a real proxy', () => {
  it('counts every request exactly per service, version, instance and edge, with percentiles within 1%', async () => {
    const { proxy, telemetry, a, b } = await knownLoad();
    const snapshot = statsSnapshotSchema.parse(telemetry.snapshot());
    const fromHello = proxy.events.filter((event) => event.caller === 'hello');
    const fromShell = proxy.events.filter((event) => event.caller === 'shell');

    expect(snapshot.mesh.totals.requests).toBe(200);
    const world = snapshot.services.find((row) => row.service === 'world');
    expect(world?.kind).toBe('service');
    expect(world?.stats).toMatchObject({ requests: 200, failures: 10, successRate: 190 / 200, inFlight: 0 });
    expect(world?.stats.totals).toEqual({
      requests: 200,
      failures: 10,
      bytesIn: proxy.events.reduce((sum, event) => sum + event.bytesIn, 0),
      bytesOut: proxy.events.reduce((sum, event) => sum + event.bytesOut, 0),
      retries: 0,
    });
    expect(snapshot.versions.map(({ service, version, stats }) => [service, version, stats.requests])).toEqual([['world', 'v1', 200]]);
    const perInstance = Object.fromEntries(snapshot.instances.map((row) => [row.instance, row.stats.requests]));
    expect(perInstance).toEqual({ [a.address]: a.answered(), [b.address]: b.answered() });
    expect(a.answered() + b.answered()).toBe(200);

    const edge = (caller: string, version: string | null) =>
      snapshot.edges.find((row) => row.caller === caller && row.service === 'world' && row.version === version)?.stats as SeriesStats;
    expect(edge('hello', null)).toMatchObject({ requests: 120, failures: 0, successRate: 1 });
    expect(edge('hello', 'v1').requests).toBe(120);
    expect(edge('shell', null)).toMatchObject({ requests: 80, failures: 10, successRate: 70 / 80 });
    expect(snapshot.edges).toHaveLength(4);

    expectLatencyOf(edge('hello', null), fromHello);
    expectLatencyOf(edge('shell', null), fromShell);
    expectLatencyOf(world?.stats as SeriesStats, proxy.events);
    // 2 of hello's 120 took at least 120 ms upstream: more than 1%, so p99 is one of them.
    expect(edge('hello', null).latencyMs.p99).toBeGreaterThanOrEqual(120);
    expect(edge('hello', null).latencyMs.p50).toBeLessThan(120);
    expect(edge('hello', null).rps).toBeGreaterThan(0);
  });

  it('exports the same counts as Prometheus text, with histogram buckets matching the events', async () => {
    const { proxy, telemetry } = await knownLoad();
    const text = await telemetry.metricsText();
    const metrics = parsePrometheusText(text);
    expect(metrics.types.get(METRIC_NAMES.requests)).toBe('counter');
    expect(metrics.types.get(METRIC_NAMES.duration)).toBe('histogram');
    const hello = { service: 'world', version: 'v1', caller: 'hello' };
    const shell = { service: 'world', version: 'v1', caller: 'shell' };

    expect(metrics.sum(METRIC_NAMES.requests, { ...hello, classification: 'success', status_class: '2xx' })).toBe(120);
    expect(metrics.sum(METRIC_NAMES.requests, { ...shell, classification: 'success', status_class: '2xx' })).toBe(70);
    expect(metrics.sum(METRIC_NAMES.requests, { ...shell, classification: 'failure', status_class: '5xx' })).toBe(10);
    expect(metrics.sum(METRIC_NAMES.requests)).toBe(200);
    expect(metrics.sum(`${METRIC_NAMES.duration}_count`, hello)).toBe(120);
    const helloEvents = proxy.events.filter((event) => event.caller === 'hello');
    for (const le of LATENCY_BUCKETS_SECONDS) {
      const expected = helloEvents.filter((event) => event.timings.end / 1000 <= le).length;
      expect(metrics.sum(`${METRIC_NAMES.duration}_bucket`, { ...hello, le: String(le) }), `le=${le}`).toBe(expected);
    }
    expect(metrics.sum(`${METRIC_NAMES.duration}_bucket`, { ...hello, le: '+Inf' })).toBe(120);
    expect(metrics.sum(METRIC_NAMES.responseBytes, hello)).toBe(helloEvents.reduce((sum, event) => sum + event.bytesOut, 0));
    expect(metrics.sum(METRIC_NAMES.requestBytes, hello)).toBe(helloEvents.reduce((sum, event) => sum + event.bytesIn, 0));
    expect(metrics.sum(METRIC_NAMES.retries)).toBe(0);
    // Declared, with no series: none of this load was gRPC (metrics.test.ts counts gRPC calls).
    expect(metrics.types.get(METRIC_NAMES.grpcCalls)).toBe('counter');
    expect(metrics.samples.filter((sample) => sample.name === METRIC_NAMES.grpcCalls)).toEqual([]);
    expect(telemetry.metricsContentType).toContain('text/plain');
  });

  it('logs every exchange, newest first, and finds them by filter', async () => {
    const { proxy, telemetry } = await knownLoad();
    const all = telemetry.query({ limit: 1_000 });
    expect(all.exchanges.map((exchange) => exchange.id)).toEqual(proxy.events.map((event) => event.id).reverse());
    expect(all.held).toBe(200);
    expect(telemetry.query({ caller: 'hello', path: 'slow', limit: 1_000 }).exchanges).toHaveLength(20);
    expect(telemetry.query({ errorsOnly: true, limit: 1_000 }).exchanges.map((exchange) => exchange.status)).toEqual(Array(10).fill(503));
    expect(telemetry.query({ status: '2xx', caller: 'shell', limit: 1_000 }).exchanges).toHaveLength(70);
    expect(telemetry.query({ minLatencyMs: 120, limit: 1_000 }).exchanges.every((exchange) => exchange.path.startsWith('/slowest'))).toBe(true);
    // The proxy captures each exchange's headers and bodies along with its event.
    expect(all.exchanges[0]).toMatchObject({
      requestHeaders: expect.any(Array),
      responseHeaders: expect.any(Array),
      requestBody: null,
      responseBody: { encoding: 'utf8' },
    });
  });

  it('stops folding when detached', async () => {
    const proxy = await startRealProxy();
    const upstream = await startControlledUpstream();
    proxy.register({ world: { v1: [upstream.address] } });
    const telemetry = new Telemetry();
    const detach = telemetry.attach(proxy.bus);
    const send = proxyClient(proxy.port);
    await send('http://world/one');
    await expect.poll(() => telemetry.snapshot().mesh.totals.requests).toBe(1);
    detach();
    await send('http://world/two');
    await expect.poll(() => proxy.events.length).toBe(2);
    expect(telemetry.snapshot().mesh.totals.requests).toBe(1);
  });

  it("passes on the proxy's ejections and carries its retry budgets in the stats", async () => {
    const proxy = await startRealProxy();
    const a = await startControlledUpstream();
    const b = await startControlledUpstream();
    proxy.register({ world: { v1: [a.address, b.address] } });
    const telemetry = new Telemetry();
    telemetry.attach(proxy.bus, proxy.proxy);
    const told: string[] = [];
    telemetry.onInstanceEvent((event) => told.push(`${event.kind} ${event.instance}`));
    const send = proxyClient(proxy.port);
    // Both fail; whichever fails 5 times in a row first is ejected (never both: at most half a version).
    for (let sent = 0; told.length === 0 && sent < 100; sent++) await send('http://world/?status=503');
    expect(told).toEqual([expect.stringMatching(new RegExp(`^ejected (${a.address}|${b.address})$`))]);
    expect(telemetry.snapshot().retryBudgets).toEqual([expect.objectContaining({ service: 'world' })]);
  });
});
