/**
 * Hold-while-restarting: a dev server whose listener is closed for 2 s (as `npm run dev` does on a
 * file change) costs its clients nothing — requests wait for it and go through when it listens
 * again, a POST with a body included (refused, it never left). Without the hold the same outage fails
 * requests; a service that does not come back fails when the hold runs out and fast after that; one
 * that never answered is not held at all. Real proxy, a real server closed and reopened on its port.
 * Run: npx vitest run main/mesh/proxy/restart-hold.test.ts
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { closedPort, startProxy } from './testing/harness.js';
import { ProxyClient, untilStopped, type Reply } from './testing/load.js';

/** A dev server on a fixed port that can stop listening and start again, as a restart does. */
async function devServer() {
  const server = http.createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => res.end(`dev ${req.method} ${body.length}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    /** Closes the listener and every connection, like a process exiting. */
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    start: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        if (!server.listening) resolve();
      }),
  };
}

/**
 * Steady idempotent traffic while `outage` runs; the failures it saw. (A POST caught on a connection
 * the server cuts may have reached it, so it is not replayed: POSTs are checked on their own.)
 */
async function trafficDuring(client: ProxyClient, outage: () => Promise<void>): Promise<{ sent: number; failures: string[] }> {
  const failures: string[] = [];
  let done = false;
  const running = outage().then(() => (done = true));
  const sent = await untilStopped(
    4,
    () => done,
    async (index) => {
      const reply = await client.send('dev', { method: index % 2 === 0 ? 'GET' : 'DELETE', path: `/h${index}` });
      if (reply.status !== 200) failures.push(`${index}: ${reply.status} ${reply.error ?? reply.body}`);
    },
  );
  await running;
  return { sent, failures };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('hold while restarting', () => {
  it('loses no request while the dev server is down for 2 s', { timeout: 20_000 }, async () => {
    const dev = await devServer();
    const harness = await startProxy();
    harness.register({ dev: [dev.address] });
    const client = new ProxyClient(harness.port, 8);
    let post: Promise<Reply> | null = null;
    const { sent, failures } = await trafficDuring(client, async () => {
      await pause(300);
      await dev.stop();
      await pause(100);
      // Sent while nothing listens: refused, so it never left, and it is held with its body.
      post = client.send('dev', { method: 'POST', path: '/post', body: 'x'.repeat(100_000) });
      await pause(1_900);
      await dev.start();
      await pause(300);
    });
    await dev.close();
    expect(failures).toEqual([]);
    expect(await post).toMatchObject({ status: 200, body: 'dev POST 100000' });
    expect(sent).toBeGreaterThan(50);
    const held = harness.events.filter((event) => event.flags?.includes('held'));
    expect(held.length).toBeGreaterThan(0);
    const longest = held.reduce((a, b) => (a.timings.end > b.timings.end ? a : b));
    expect(longest.timings.end).toBeGreaterThan(1_500);
    // The waterfall shows the hold as waiting for a connection, not as waiting for the answer.
    expect((longest.timings.connected ?? 0) - (longest.timings.dispatched ?? Infinity)).toBeGreaterThan(1_000);
    expect(longest.decision?.find((step) => step.step === 'hold')?.reason).toMatch(
      new RegExp(`^held \\d+ ms until ${dev.address} accepted connections again$`),
    );
  });

  it('fails requests in the same outage without the hold', { timeout: 20_000 }, async () => {
    const dev = await devServer();
    const harness = await startProxy({ policy: { holdMs: 0 } });
    harness.register({ dev: [dev.address] });
    const { failures } = await trafficDuring(new ProxyClient(harness.port, 8), async () => {
      await pause(200);
      await dev.stop();
      await pause(1_000);
      await dev.start();
    });
    await dev.close();
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]).toMatch(/502 meshdesk: 502 connection refused/);
  });

  it('gives up when the hold runs out, then fails fast until the service answers again', async () => {
    const dev = await devServer();
    const harness = await startProxy({ policy: { holdMs: 400 } });
    harness.register({ dev: [dev.address] });
    const client = new ProxyClient(harness.port);
    expect((await client.send('dev')).status).toBe(200);
    await dev.stop();
    let started = performance.now();
    const held = await client.send('dev', { path: '/held' });
    expect(held.status).toBe(503);
    expect(held.body).toMatch(/every instance refused connections; held \d+ ms for a restart and none came back/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    started = performance.now();
    expect((await client.send('dev')).status).toBe(502);
    expect(performance.now() - started).toBeLessThan(350);
    await dev.start();
    expect((await client.send('dev')).status).toBe(200);
    await dev.stop();
    // Answering again re-armed the hold: this one waits for the restart.
    const back = client.send('dev', { path: '/rearmed' });
    await pause(150);
    await dev.start();
    expect((await back).status).toBe(200);
    await dev.close();
  });

  it('answers at once, 503 with the reason, once the service has been down longer than its restart window', async () => {
    const dev = await devServer();
    const harness = await startProxy({ policy: { holdMs: 2_000, restartWindowMs: 300 } });
    harness.register({ dev: [dev.address] });
    const client = new ProxyClient(harness.port);
    expect((await client.send('dev')).status).toBe(200);
    await dev.stop();
    await pause(400);
    const started = performance.now();
    const reply = await client.send('dev', { path: '/stopped' });
    expect(reply.status).toBe(503);
    expect(reply.body).toMatch(
      /every instance of dev@v1 refuses connections and has not answered for 0\.\d s, longer than its restart window \(0\.3 s\): not held/,
    );
    // Not held: answered in the time a refused connection takes, far from the 2 s hold.
    expect(performance.now() - started).toBeLessThan(500);
    await dev.close();
  });

  it('does not hold for a service that never answered', async () => {
    const harness = await startProxy();
    harness.register({ never: [`127.0.0.1:${await closedPort()}`] });
    const started = performance.now();
    expect((await new ProxyClient(harness.port).send('never')).status).toBe(502);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
