/**
 * Retries only where safe, and never a storm: an instance killed under load costs idempotent
 * clients nothing; a request that never left (refused connection) is retried even when it is a
 * POST with a body, one that did leave only when idempotent and bodyless; 502/503/504 answers are
 * retried for idempotent requests on another instance; with every instance failing, retries stay
 * within the budget (20% of requests + 10/s over 10 s); the service's timeout spans every attempt.
 * Real proxy, real upstreams that fail on command, real sockets.
 * Run: npx vitest run main/mesh/proxy/retries.test.ts
 */
import { describe, expect, it } from 'vitest';
import { closedPort, startProxy, startUpstream } from './testing/harness.js';
import { closedLoop, namedUpstream, ProxyClient, untilStopped } from './testing/load.js';

describe('retries', () => {
  it('keeps idempotent clients whole when an instance is killed under load', { timeout: 20_000 }, async () => {
    const instances = [await namedUpstream('a', 2), await namedUpstream('b', 2), await namedUpstream('c', 2)];
    const harness = await startProxy();
    harness.register({ world: instances.map((instance) => instance.address) });
    const client = new ProxyClient(harness.port);
    const failures: string[] = [];
    let stop = false;
    const victim = instances[1] as (typeof instances)[number];
    setTimeout(() => {
      // Killed: the listener goes and every open connection is cut, requests in flight included.
      victim.server.close();
      victim.server.closeAllConnections();
      setTimeout(() => (stop = true), 1_500);
    }, 700);
    const sent = await untilStopped(
      8,
      () => stop,
      async (index) => {
        const method = index % 2 === 0 ? 'GET' : 'HEAD';
        const reply = await client.send('world', { method, path: `/k${index}` });
        if (reply.status !== 200) failures.push(`${method} ${index}: ${reply.status} ${reply.error ?? reply.body}`);
      },
    );
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(200);
    await expect.poll(() => harness.events.filter((event) => event.path.startsWith('/k')).length).toBe(sent);
    const retried = harness.events.filter((event) => event.flags?.includes('retried'));
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.every((event) => event.attempts?.[0]?.instance === victim.address && event.instance !== victim.address)).toBe(true);
  });

  it('retries a POST with a body that never left (refused), and delivers the body whole', async () => {
    const refused = `127.0.0.1:${await closedPort()}`;
    const echo = await startUpstream((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.end(`got ${req.method} ${body}`));
    });
    // Round-robin tries the refused instance first, deterministically.
    const harness = await startProxy({ policy: { balancer: 'round-robin' } });
    harness.register({ world: [refused, echo.address] });
    const reply = await new ProxyClient(harness.port).send('world', { method: 'POST', path: '/order', body: 'x'.repeat(100_000) });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(`got POST ${'x'.repeat(100_000)}`);
    const event = await harness.nextEvent((e) => e.path === '/order');
    expect(event.attempts?.map((attempt) => [attempt.instance, attempt.status, attempt.error])).toEqual([
      [refused, 0, 'connection refused'],
      [echo.address, 200, null],
    ]);
    expect(event).toMatchObject({ retries: 1, flags: ['retried'], bytesIn: 100_000 });
    expect(event.decision?.find((step) => step.step === 'budget')?.reason).toMatch(
      /^1 of at most 2 retries used; service budget \d+ left \(20% of requests \+ 10\/s over 10 s\)$/,
    );
  });

  it('never replays a POST that reached the upstream, but retries a GET that did', async () => {
    // Reads the request, then cuts the connection without an answer.
    const cutter = await startUpstream((req) => {
      req.resume();
      req.on('end', () => req.socket.destroy());
    });
    const harness = await startProxy();
    harness.register({ world: [cutter.address] });
    const client = new ProxyClient(harness.port);
    const post = await client.send('world', { method: 'POST', path: '/pay', body: 'once' });
    expect(post.status).toBe(502);
    expect(cutter.requests.filter((req) => req.url === '/pay')).toHaveLength(1);
    const get = await client.send('world', { path: '/read' });
    expect(get.status).toBe(502);
    expect(cutter.requests.filter((req) => req.url === '/read')).toHaveLength(3);
    const event = await harness.nextEvent((e) => e.path === '/read');
    expect(event.attempts?.map((attempt) => attempt.error)).toEqual(Array(3).fill('upstream reset the connection'));
  });

  it('retries 502/503/504 answers of idempotent requests on another instance, not those of a POST', async () => {
    const failing = await startUpstream((req, res) => {
      req.resume();
      res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
    });
    const healthy = await namedUpstream('healthy');
    const harness = await startProxy({ policy: { balancer: 'round-robin', ejection: { consecutiveFailures: 0 } } });
    harness.register({ world: [failing.address, healthy.address], onlyfailing: [failing.address] });
    const client = new ProxyClient(harness.port);
    for (let i = 0; i < 10; i++) expect((await client.send('world', { path: `/g${i}` })).status).toBe(200);
    const retried = harness.events.filter((event) => event.retries === 1);
    expect(retried.length).toBeGreaterThanOrEqual(4);
    expect(retried[0]?.attempts?.map((attempt) => [attempt.instance, attempt.status])).toEqual([
      [failing.address, 503],
      [healthy.address, 200],
    ]);
    const post = await client.send('onlyfailing', { method: 'POST', path: '/p' });
    expect(post).toMatchObject({ status: 503, body: 'busy' });
    expect((await harness.nextEvent((e) => e.path === '/p')).retries).toBe(0);
    const get = await client.send('onlyfailing', { path: '/last' });
    expect(get).toMatchObject({ status: 503, body: 'busy' });
    expect((await harness.nextEvent((e) => e.path === '/last')).attempts).toHaveLength(3);
  });

  it('stays within the retry budget when every instance fails', { timeout: 20_000 }, async () => {
    let hits = 0;
    const failing = () =>
      startUpstream((req, res) => {
        hits++;
        req.resume();
        res.writeHead(503).end();
      });
    const instances = [await failing(), await failing()];
    // Up to 3 retries each: without a budget 1,000 requests would make up to 3,000 retries.
    const harness = await startProxy({ policy: { retry: { attempts: 3, backoffBaseMs: 1, backoffMaxMs: 5 } } });
    harness.register({ world: instances.map((instance) => instance.address) });
    const client = new ProxyClient(harness.port);
    const statuses = new Set<number>();
    const started = performance.now();
    await closedLoop(1_000, 16, async () => {
      statuses.add((await client.send('world')).status);
    });
    const seconds = (performance.now() - started) / 1_000;
    const retries = hits - 1_000;
    console.log(`retry budget: 1000 requests, ${retries} retries in ${seconds.toFixed(1)} s`);
    expect(statuses).toEqual(new Set([503]));
    // 20% of 1,000 requests plus 10/s over the 10 s window (the test takes less than the window).
    expect(seconds).toBeLessThan(10);
    expect(retries).toBeLessThanOrEqual(200 + 100);
    expect(retries).toBeGreaterThanOrEqual(100);
    await expect.poll(() => harness.events.length).toBe(1_000);
    expect(harness.events.some((event) => event.flags?.includes('budget-exhausted'))).toBe(true);
  });

  it('answers 504 when the service timeout runs out, across attempts', async () => {
    const refused = `127.0.0.1:${await closedPort()}`;
    const hanging = await startUpstream(() => undefined);
    const harness = await startProxy({ policy: { requestTimeoutMs: 400, balancer: 'round-robin' } });
    harness.register({ world: [refused, hanging.address] });
    const started = performance.now();
    const reply = await new ProxyClient(harness.port).send('world', { path: '/slow', headers: { accept: 'application/json' } });
    const took = performance.now() - started;
    expect(reply.status).toBe(504);
    expect(JSON.parse(reply.body)).toMatchObject({ service: 'world', instance: hanging.address, error: 'upstream timed out before sending response headers' });
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(2_000);
    const event = await harness.nextEvent((e) => e.path === '/slow');
    expect(event.attempts?.map((attempt) => attempt.status)).toEqual([0, 0]);
  });
});
