/**
 * Health from traffic, for instances without a health check: through the real proxy to real
 * upstreams, an instance that answers 200 becomes healthy, a port that refuses connections becomes
 * failing ("connection refused"), one answering 503 becomes failing ("HTTP 503"), one 503 among
 * successes is a blip, a gRPC instance answering UNAVAILABLE is failing, and after the idle period
 * (shortened here) every verdict is unknown again.
 * Run: npx vitest run main/mesh/proxy/traffic-health.test.ts
 */
import { describe, expect, it } from 'vitest';
import { clientAtProxyPort, sayHello, startGreeter } from './h2/testing/greeter.js';
import { closedPort, startProxy, startUpstream } from './testing/harness.js';
import { ProxyClient } from './testing/load.js';

const IDLE_MS = 400;

/** An upstream answering with the status it is told to, 200 at first. */
async function switchableUpstream() {
  let status = 200;
  const upstream = await startUpstream((req, res) => {
    req.resume();
    res.writeHead(status).end(String(status));
  });
  return { address: upstream.address, answer: (next: number) => (status = next) };
}

describe('health from traffic', () => {
  it('is healthy once an instance answers, and unknown again after the idle period', async () => {
    const harness = await startProxy({ resilience: { trafficIdleMs: IDLE_MS } });
    const world = await switchableUpstream();
    harness.register({ world: [world.address] });
    expect(harness.proxy.trafficHealth(world.address)).toEqual({ state: 'unknown', reason: null, lastSeen: null });

    const before = Date.now();
    const reply = await new ProxyClient(harness.port).send('world');
    expect(reply.status).toBe(200);
    const healthy = harness.proxy.trafficHealth(world.address);
    expect(healthy).toMatchObject({ state: 'healthy', reason: null });
    expect(healthy.lastSeen).toBeGreaterThanOrEqual(before - 5);
    expect(healthy.lastSeen).toBeLessThanOrEqual(Date.now() + 5);

    await expect.poll(() => harness.proxy.trafficHealth(world.address).state, { timeout: IDLE_MS * 5 }).toBe('unknown');
    expect(harness.proxy.trafficHealth(world.address)).toEqual({ state: 'unknown', reason: 'no traffic in the last 400 ms', lastSeen: healthy.lastSeen });
  });

  it('is failing with "connection refused" for a port nothing listens on', async () => {
    const harness = await startProxy({ resilience: { trafficIdleMs: IDLE_MS } });
    const address = `127.0.0.1:${await closedPort()}`;
    harness.register({ world: [address] });
    const reply = await new ProxyClient(harness.port).send('world');
    expect(reply.status).toBe(502);
    expect(harness.proxy.trafficHealth(address)).toMatchObject({ state: 'failing', reason: 'connection refused' });
    await expect.poll(() => harness.proxy.trafficHealth(address).state, { timeout: IDLE_MS * 5 }).toBe('unknown');
  });

  it('is failing with the status for an instance answering 503, and healthy again once it answers', async () => {
    const harness = await startProxy();
    const world = await switchableUpstream();
    harness.register({ world: [world.address] });
    const client = new ProxyClient(harness.port);
    world.answer(503);
    expect((await client.send('world')).status).toBe(503);
    expect(harness.proxy.trafficHealth(world.address)).toMatchObject({ state: 'failing', reason: 'HTTP 503' });
    world.answer(200);
    for (let sent = 0; sent < 5; sent++) await client.send('world');
    expect(harness.proxy.trafficHealth(world.address)).toMatchObject({ state: 'healthy', reason: null });
  });

  it('takes one 503 among successes for a blip, and half the requests failing for failing', async () => {
    const harness = await startProxy({ policy: { retry: { statuses: new Set<number>() } } });
    const world = await switchableUpstream();
    const flaky = await switchableUpstream();
    harness.register({ world: [world.address], flaky: [flaky.address] });
    const client = new ProxyClient(harness.port);
    for (let sent = 0; sent < 6; sent++) await client.send('world');
    world.answer(503);
    await client.send('world');
    world.answer(200);
    await client.send('world');
    expect(harness.proxy.trafficHealth(world.address).state).toBe('healthy');
    // Every other request failing, never three in a row: the share decides.
    for (let sent = 0; sent < 8; sent++) {
      flaky.answer(sent % 2 === 0 ? 500 : 200);
      await client.send('flaky');
    }
    expect(harness.proxy.trafficHealth(flaky.address)).toMatchObject({ state: 'failing', reason: 'HTTP 500 (half or more of recent requests fail)' });
  });

  it('is failing for a gRPC instance answering UNAVAILABLE, as for a refusal', async () => {
    const greeter = await startGreeter('v1');
    const harness = await startProxy();
    harness.register({ greeter: [greeter.address] });
    const client = clientAtProxyPort(harness.port);
    expect(await sayHello(client, 'ann')).toEqual({ message: 'hello ann from v1' });
    expect(harness.proxy.trafficHealth(greeter.address).state).toBe('healthy');
    for (let call = 0; call < 3; call++) await sayHello(client, 'fail:14:overloaded');
    expect(harness.proxy.trafficHealth(greeter.address)).toMatchObject({ state: 'failing', reason: 'gRPC status UNAVAILABLE' });
  });
});
