// Active health checks against real servers that start, fail and recover: HTTP status, timeouts,
// connection refused and TCP connects, with 50 ms intervals. Each transition must appear once as a
// registry event with its reason, and `routable` must follow it.
// Run: npx vitest run main/mesh/health/health-checker.test.ts
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HealthCheck } from '../../../shared/config-schema.js';
import { Registry, routable, type HealthChange } from '../registry/registry.js';
import { HealthChecker } from './health-checker.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const timing = { interval: 50, timeout: 300, healthyThreshold: 2, unhealthyThreshold: 2 };

/** An HTTP server whose /health answer the test controls; `stop`/`start` close and reopen its port. */
async function controllableServer() {
  let status = 200;
  let hang = false;
  const server = http.createServer((req, res) => {
    if (hang) return; // never answers
    res.statusCode = req.url === '/health' ? status : 404;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  cleanups.push(() => (server.listening ? stop() : undefined));
  return {
    port,
    set: (next: number) => (status = next),
    hang: (value: boolean) => (hang = value),
    stop,
    start: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
  };
}

function checked(registry: Registry, port: number, healthCheck: HealthCheck) {
  registry.replaceSource('config', [{ service: 'world', version: 'v1', address: `127.0.0.1:${port}`, origin: 'meshdesk.yaml:3', healthCheck }]);
  const checker = new HealthChecker(registry);
  checker.start();
  cleanups.push(() => checker.stop());
  const events: HealthChange[] = [];
  registry.onChange((change) => {
    if (change.kind === 'health') events.push(change);
  });
  const instance = () => registry.lookup('world')?.versions.get('v1')?.[0];
  const becomes = (health: string) => vi.waitFor(() => expect(instance()?.health).toBe(health), { timeout: 5_000, interval: 20 });
  return { checker, events, instance, becomes };
}

describe('HealthChecker', () => {
  it('takes a failing HTTP instance out of the pool and brings it back, one event per change with its reason', async () => {
    const server = await controllableServer();
    const registry = new Registry();
    const { events, instance, becomes } = checked(registry, server.port, { type: 'http', path: '/health', expectStatus: '2xx', ...timing });

    await becomes('healthy');
    server.set(503);
    await becomes('failing');
    expect(routable([instance() as NonNullable<ReturnType<typeof instance>>])).toEqual([]);
    server.set(204);
    await becomes('healthy');
    await server.stop();
    await becomes('failing');
    await server.start();
    await becomes('healthy');

    expect(events.map((event) => [event.from, event.to, event.reason])).toEqual([
      ['unknown', 'healthy', 'HTTP 200 (first check)'],
      ['healthy', 'failing', 'HTTP 503, expected 2xx (2 failures in a row)'],
      ['failing', 'healthy', 'HTTP 204 (2 passes in a row)'],
      ['healthy', 'failing', 'connection refused (2 failures in a row)'],
      ['failing', 'healthy', 'HTTP 204 (2 passes in a row)'],
    ]);
    expect(registry.list()[0]?.versions[0]?.instances[0]).toMatchObject({
      health: 'healthy',
      healthReason: 'HTTP 204 (2 passes in a row)',
      healthCheck: 'http GET /health expecting 2xx every 50ms, timeout 300ms',
    });
  });

  it('fails an instance that does not answer within the timeout, and an unexpected exact status', async () => {
    const server = await controllableServer();
    const registry = new Registry();
    const { events, becomes } = checked(registry, server.port, {
      type: 'http',
      path: '/health',
      expectStatus: 200,
      ...timing,
      timeout: 100,
      unhealthyThreshold: 1,
    });
    await becomes('healthy');
    server.hang(true);
    await becomes('failing');
    expect(events.at(-1)?.reason).toBe('no answer within 100ms (1 failure in a row)');
    server.hang(false);
    await becomes('healthy');
    server.set(201);
    await becomes('failing');
    expect(events.at(-1)?.reason).toBe('HTTP 201, expected 200 (1 failure in a row)');
  });

  it('decides an instance that is down at start on its first check', async () => {
    const server = await controllableServer();
    await server.stop();
    const registry = new Registry();
    const { events, becomes } = checked(registry, server.port, { type: 'tcp', ...timing });
    await becomes('failing');
    expect(events[0]?.reason).toBe('connection refused (first check)');
  });

  it('checks TCP instances by connecting', async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    cleanups.push(() => server.close());
    const registry = new Registry();
    const { events, becomes } = checked(registry, port, { type: 'tcp', ...timing });
    await becomes('healthy');
    await new Promise((resolve) => server.close(resolve));
    await becomes('failing');
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await becomes('healthy');
    expect(events.map((event) => event.reason)).toEqual([
      'TCP connect accepted (first check)',
      'connection refused (2 failures in a row)',
      'TCP connect accepted (2 passes in a row)',
    ]);
  });

  it('follows the registry: a removed instance is no longer checked, a changed check restarts', async () => {
    const server = await controllableServer();
    const registry = new Registry();
    const { checker, becomes } = checked(registry, server.port, { type: 'tcp', ...timing });
    await becomes('healthy');
    expect(checker.size).toBe(1);
    const httpCheck: HealthCheck = { type: 'http', path: '/missing', expectStatus: '2xx', ...timing };
    registry.replaceSource('config', [
      { service: 'world', version: 'v1', address: `127.0.0.1:${server.port}`, origin: 'meshdesk.yaml:3', healthCheck: httpCheck },
    ]);
    await becomes('failing');
    registry.replaceSource('config', []);
    expect(checker.size).toBe(0);
  });
});
