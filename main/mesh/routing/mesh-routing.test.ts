/**
 * Routing and resilience as a whole Mesh runs them: meshdesk.yaml declares routes, timeouts,
 * retries and the balancer; reroute, rollback and faults go through the admin API and take effect
 * on the next proxied request; request events reach the telemetry with their capture (real headers
 * and bodies, looked up by id with mesh.telemetry.exchange) and in-flight counts.
 * Real Mesh, real config file, real upstreams, real HTTP clients.
 * Run: npx vitest run main/mesh/routing/mesh-routing.test.ts
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../../shared/admin-client.js';
import type { ProxiedExchange } from '../../../shared/events.js';
import { startTestMesh } from '../testing/test-mesh.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function upstream(name: string, handler?: http.RequestListener): Promise<number> {
  const server = http.createServer(
    handler ??
      ((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => res.writeHead(200, { 'X-Served-By': name, 'Content-Type': 'text/plain' }).end(`${name} says ${body || 'hi'}`));
      }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  return (server.address() as { port: number }).port;
}

async function startMesh(yaml: (ports: Record<string, number>) => string, ports: Record<string, number>) {
  const log: string[] = [];
  const { mesh, addresses } = await startTestMesh({ yaml: yaml(ports), adminToken: 'secret', log: (line) => log.push(line), cleanups });
  const events: ProxiedExchange[] = [];
  mesh.events.subscribe((event) => events.push(event));
  return { mesh, log, events, client: new AdminClient(addresses.adminUrl, 'secret'), proxyPort: addresses.proxyPort };
}

interface Answer {
  status: number;
  body: string;
}

/** A request routed by Host header through the mesh's proxy. */
function request(
  proxyPort: number,
  host: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: proxyPort, method: options.method ?? 'GET', path: options.path ?? '/', headers: { host, ...options.headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const twoVersions = (ports: Record<string, number>) =>
  `services:\n  world:\n    versions:\n      v1: { instances: [127.0.0.1:${ports.v1}] }\n      v2: { instances: [127.0.0.1:${ports.v2}] }\n`;

describe('routing in a running mesh', () => {
  it('reroutes and rolls back through the admin API, effective from the next request', async () => {
    const { client, proxyPort } = await startMesh(twoVersions, { v1: await upstream('v1'), v2: await upstream('v2') });
    expect((await request(proxyPort, 'world')).body).toBe('v1 says hi');
    await client.call('reroute', { service: 'world', version: 'v2', origin: 'cli' });
    for (let i = 0; i < 20; i++) expect((await request(proxyPort, 'world')).body).toBe('v2 says hi');
    await client.call('rollback', { service: 'world' });
    expect((await request(proxyPort, 'world')).body).toBe('v1 says hi');
  });

  it('follows the routes, timeouts and balancer that meshdesk.yaml declares', async () => {
    const hang = await upstream('hang', () => undefined);
    const yaml = (ports: Record<string, number>) =>
      twoVersions(ports) +
      `    route:\n      weights: { v1: 0, v2: 1 }\n      headers: [{ header: x-canary, value: '1', version: v1 }]\n` +
      `  slow:\n    instances: [127.0.0.1:${ports.hang}]\n    timeouts: { request: 300ms }\n    retries: { attempts: 0 }\n    loadBalancer: round-robin\n`;
    const { proxyPort, events } = await startMesh(yaml, { v1: await upstream('v1'), v2: await upstream('v2'), hang });
    expect((await request(proxyPort, 'world')).body).toBe('v2 says hi');
    expect((await request(proxyPort, 'world', { headers: { 'x-canary': '1' } })).body).toBe('v1 says hi');
    const started = performance.now();
    const slow = await request(proxyPort, 'slow', { path: '/wait' });
    expect(slow.status).toBe(504);
    expect(slow.body).toMatch(/timed out.*service slow/);
    expect(performance.now() - started).toBeLessThan(2_000);
    await expect.poll(() => events.find((event) => event.path === '/wait')?.attempts, { timeout: 10_000 }).toHaveLength(1);
  });

  it('injects faults set through the admin API, and marks the events', async () => {
    const { client, proxyPort, events } = await startMesh(twoVersions, { v1: await upstream('v1'), v2: await upstream('v2') });
    await client.call('setFault', { service: 'world', caller: 'hello', percent: 100, abortStatus: 503 });
    expect((await request(proxyPort, 'world', { path: '/f', headers: { 'x-meshdesk-caller': 'hello' } })).status).toBe(503);
    expect((await request(proxyPort, 'world', { path: '/nf' })).status).toBe(200);
    await expect.poll(() => events.find((event) => event.path === '/f')?.flags).toEqual(['fault-injected']);
  });

  it('captures real headers and bodies, found by event id in the telemetry', async () => {
    const { mesh, proxyPort, events } = await startMesh(twoVersions, { v1: await upstream('v1'), v2: await upstream('v2') });
    const answer = await request(proxyPort, 'world', {
      method: 'POST',
      path: '/capture',
      headers: { 'X-Custom-Thing': 'yes', 'Content-Type': 'text/plain' },
      body: 'hello body',
    });
    expect(answer.body).toBe('v1 says hello body');
    await expect.poll(() => events.some((event) => event.path === '/capture'), { timeout: 10_000 }).toBe(true);
    const event = events.find((e) => e.path === '/capture') as ProxiedExchange;
    const exchange = mesh.telemetry.exchange(event.id);
    expect(exchange?.requestHeaders).toContainEqual(['X-Custom-Thing', 'yes']);
    expect(exchange?.responseHeaders).toContainEqual(['X-Served-By', 'v1']);
    expect(exchange?.requestBody).toEqual({ encoding: 'utf8', data: 'hello body', size: 10, truncated: false });
    expect(exchange?.responseBody).toEqual({ encoding: 'utf8', data: 'v1 says hello body', size: 18, truncated: false });
    expect(exchange).toMatchObject({ retries: 0, flags: [], attempts: [{ status: 200, error: null }] });
    expect((exchange as unknown as ProxiedExchange).decision?.[0]).toMatchObject({ step: 'version', choice: 'v1' });
  });

  it('counts requests in flight from the moment they are routed', async () => {
    let release: () => void = () => undefined;
    const held = await upstream('held', (req, res) => {
      req.resume();
      release = () => res.end('done');
    });
    const yaml = (ports: Record<string, number>) => `services:\n  held:\n    instances: [127.0.0.1:${ports.held}]\n`;
    const { mesh, proxyPort } = await startMesh(yaml, { held });
    const pending = request(proxyPort, 'held');
    const inFlight = () => mesh.telemetry.snapshot().services.find((row) => row.service === 'held')?.stats.inFlight;
    await expect.poll(inFlight).toBe(1);
    release();
    expect((await pending).body).toBe('done');
    await expect.poll(inFlight).toBe(0);
  });
});
