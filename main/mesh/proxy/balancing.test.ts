/**
 * Load balancing and passive ejection: power of two choices over peak-EWMA sends a 10× slower
 * instance under 10% of the traffic within 5 s; an instance failing 5 times in a row is ejected
 * (an event with its reason), for longer each time, at most the configured share of a version and
 * never the last one; a latency outlier is ejected too; when ejections leave nothing to route to,
 * they are ignored (panic) with a warning. Real proxy, real upstreams that fail or slow on command.
 * Run: npx vitest run main/mesh/proxy/balancing.test.ts
 */
import { describe, expect, it } from 'vitest';
import { healthCheckSchema } from '../../../shared/config-schema.js';
import type { InstanceEvent } from '../../../shared/events.js';
import { startProxy, startUpstream, type ProxyHarness } from './testing/harness.js';
import { namedUpstream, ProxyClient, untilStopped } from './testing/load.js';

function collectInstanceEvents(harness: ProxyHarness): InstanceEvent[] {
  const events: InstanceEvent[] = [];
  harness.proxy.onInstanceEvent((event) => events.push(event));
  return events;
}

async function failingUpstream(status = 503) {
  let hits = 0;
  const upstream = await startUpstream((req, res) => {
    hits++;
    req.resume();
    res.writeHead(status).end();
  });
  return { address: upstream.address, hits: () => hits };
}

/** Sends requests one by one until `done()` or `limit` requests. */
async function sendUntil(client: ProxyClient, done: () => boolean, limit = 500): Promise<number> {
  let sent = 0;
  while (!done() && sent < limit) {
    await client.send('world', { path: `/u${sent}` });
    sent++;
  }
  return sent;
}

describe('load balancing', () => {
  it('gives a 10× slower instance under 10% of the traffic within 5 s', { timeout: 20_000 }, async () => {
    const fast1 = await namedUpstream('fast-1', 10);
    const fast2 = await namedUpstream('fast-2', 10);
    const slow = await namedUpstream('slow', 100);
    // Outlier ejection off: this is the balancer's own doing.
    const harness = await startProxy({ policy: { ejection: { latencyOutliers: false } } });
    harness.register({ world: [fast1.address, slow.address, fast2.address] });
    const client = new ProxyClient(harness.port);
    const deadline = performance.now() + 5_000;
    const sent = await untilStopped(
      6,
      () => performance.now() >= deadline,
      async () => {
        expect((await client.send('world')).status).toBe(200);
      },
    );
    const share = slow.hits() / sent;
    console.log(`peak-EWMA P2C: slow instance got ${slow.hits()} of ${sent} requests (${(share * 100).toFixed(2)}%) in 5 s`);
    expect(sent).toBeGreaterThan(100);
    expect(share).toBeLessThan(0.1);
  });
});

describe('passive ejection', () => {
  it('ejects an instance after 5 failures in a row, for longer each time, and routes around it meanwhile', { timeout: 20_000 }, async () => {
    const bad = await failingUpstream();
    const good = await namedUpstream('good');
    // Round-robin: the failing instance is picked every other request. Under peak-EWMA a first
    // answer slowed by a busy machine can leave it unpicked for longer than this test sends.
    const harness = await startProxy({ policy: { balancer: 'round-robin', ejection: { baseMs: 300, latencyOutliers: false } } });
    const events = collectInstanceEvents(harness);
    harness.register({ world: [bad.address, good.address] });
    const client = new ProxyClient(harness.port);
    await sendUntil(client, () => events.length > 0);
    const first = events[0] as InstanceEvent;
    expect(first).toMatchObject({
      kind: 'ejected',
      service: 'world',
      version: 'v1',
      instance: bad.address,
      ejections: 1,
      reason: '5 failures in a row, the last: HTTP 503',
    });
    expect((first.until as number) - first.at).toBeGreaterThanOrEqual(290);
    expect((first.until as number) - first.at).toBeLessThanOrEqual(310);
    const hitsWhenEjected = bad.hits();
    for (let i = 0; i < 20; i++) expect((await client.send('world', { path: '/while-ejected' })).status).toBe(200);
    expect(bad.hits()).toBe(hitsWhenEjected);
    const during = await harness.nextEvent((event) => event.path === '/while-ejected');
    expect(during.flags).toContain('ejected-instance');
    expect(during.decision?.find((step) => step.step === 'ejection')?.reason).toBe(`1 of 2 instances ejected when routed: ${bad.address}`);
    // Back after its time; failing again, it is ejected for twice as long.
    await new Promise((resolve) => setTimeout(resolve, 350));
    await sendUntil(client, () => events.length >= 3);
    expect(events.slice(1, 3).map((event) => [event.kind, event.ejections])).toEqual([
      ['returned', 1],
      ['ejected', 2],
    ]);
    const second = events[2] as InstanceEvent;
    expect((second.until as number) - second.at).toBeGreaterThanOrEqual(590);
  });

  it('never ejects the last instance, and at most the configured share of a version', async () => {
    const only = await failingUpstream();
    const harness = await startProxy({ policy: { retry: { attempts: 0 } } });
    const events = collectInstanceEvents(harness);
    const four = [await failingUpstream(), await failingUpstream(), await failingUpstream(), await failingUpstream()];
    harness.registry.replaceSource('test', [
      { service: 'single', version: 'v1', address: only.address, origin: 'test' },
      ...four.map((upstream) => ({ service: 'world', version: 'v1', address: upstream.address, origin: 'test' })),
    ]);
    const client = new ProxyClient(harness.port);
    for (let i = 0; i < 20; i++) expect((await client.send('single')).status).toBe(503);
    expect(only.hits()).toBe(20);
    for (let i = 0; i < 80; i++) await client.send('world');
    expect(
      events
        .filter((event) => event.kind === 'ejected')
        .map((event) => event.instance)
        .sort(),
    ).toHaveLength(2);
    expect(events.some((event) => event.instance === only.address)).toBe(false);
  });

  it('ejects a latency outlier, saying how much slower it was', { timeout: 20_000 }, async () => {
    const fast1 = await namedUpstream('fast-1', 2);
    const fast2 = await namedUpstream('fast-2', 2);
    const slow = await namedUpstream('slow', 150);
    const harness = await startProxy();
    const events = collectInstanceEvents(harness);
    harness.register({ world: [fast1.address, fast2.address, slow.address] });
    const client = new ProxyClient(harness.port);
    const deadline = performance.now() + 8_000;
    await untilStopped(
      3,
      () => events.length > 0 || performance.now() > deadline,
      async () => {
        await client.send('world');
      },
    );
    expect(events[0]).toMatchObject({
      kind: 'ejected',
      instance: slow.address,
      reason: expect.stringMatching(/^latency outlier: \d+(\.\d)? ms against its peers' median of \d+(\.\d)? ms$/),
    });
  });

  it('ignores ejections when they leave nothing to route to (panic), with a warning', async () => {
    const bad = await failingUpstream();
    const good = await namedUpstream('good');
    // Round-robin for the same reason as the first ejection test: the failing instance must be picked.
    const harness = await startProxy({ policy: { balancer: 'round-robin', retry: { attempts: 0 }, ejection: { latencyOutliers: false } } });
    const events = collectInstanceEvents(harness);
    const healthCheck = healthCheckSchema.parse({ type: 'tcp' });
    harness.registry.replaceSource('test', [
      { service: 'world', version: 'v1', address: bad.address, origin: 'test', healthCheck },
      { service: 'world', version: 'v1', address: good.address, origin: 'test', healthCheck },
    ]);
    const client = new ProxyClient(harness.port);
    await sendUntil(client, () => events.length > 0);
    expect(events[0]).toMatchObject({ kind: 'ejected', instance: bad.address });
    // The only instance left fails its health check: the ejected one is all there is.
    harness.registry.setHealth('world', 'v1', good.address, 'failing', 'test says so');
    expect((await client.send('world', { path: '/panic' })).status).toBe(503);
    expect(bad.hits()).toBeGreaterThan(5);
    expect(events[1]).toMatchObject({ kind: 'panic', instance: '*', reason: expect.stringMatching(/ejected: routing to them anyway/) });
    const event = await harness.nextEvent((e) => e.path === '/panic');
    expect(event.flags).toContain('panic');
    expect(event.instance).toBe(bad.address);
  });
});
