// Guarded reroutes in a running mesh: a v2 that answers 500 is rolled back within its minimum of
// requests + 5, with the reason in the route history; a healthy v2 is left alone and passes; a
// guard never fires below its minimum; another change supersedes a guard.
// Real Mesh, real upstreams on loopback port 0, real requests through the proxy, the admin API.
// Run: npx vitest run main/mesh/routing/guarded-reroute.test.ts
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../../shared/admin-client.js';
import type { ServiceRoute } from '../../../shared/routes.js';
import { listenUpstream } from '../testing/http-upstream.js';
import { startTestMesh } from '../testing/test-mesh.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function version(name: string, status: number): Promise<number> {
  return listenUpstream((_req, res) => res.writeHead(status, { 'content-type': 'text/plain' }).end(name), cleanups);
}

async function startMesh(v2Status: number) {
  const [v1, v2] = [await version('v1', 200), await version('v2', v2Status)];
  const yaml = `services:\n  world:\n    versions:\n      v1: { instances: [127.0.0.1:${v1}] }\n      v2: { instances: [127.0.0.1:${v2}] }\n`;
  const { addresses } = await startTestMesh({ yaml, adminToken: 'secret', cleanups });
  const client = new AdminClient(addresses.adminUrl, 'secret');
  const get = () => request(addresses.proxyPort);
  const route = async (): Promise<ServiceRoute> => (await client.call('listRoutes')).find((entry) => entry.service === 'world') as ServiceRoute;
  return { client, get, route };
}

/** One request to `world` through the proxy, routed by its Host header; resolves with the body (the version). */
function request(proxyPort: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: proxyPort, path: '/', headers: { host: 'world' } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('guarded reroute', () => {
  it('rolls back a v2 that answers 500 within its minimum of requests + 5, with the reason in the history', async () => {
    const { client, get, route } = await startMesh(500);
    for (let i = 0; i < 30; i++) expect(await get()).toBe('v1'); // the baseline: v1 at 100%
    const answer = await client.call('reroute', { service: 'world', version: 'v2', origin: 'cli', guard: { minRequests: 20 } });
    expect(answer.guard).toMatchObject({ state: 'watching', version: 'v2', baselineVersion: 'v1', baseline: { requests: 30, successRate: 1 } });
    // Four callers at a time: requests already on their way to v2 when it breaches still land there.
    let fromV2 = 0;
    for (let i = 0; i < 10; i++) fromV2 += (await Promise.all([get(), get(), get(), get()])).filter((body) => body === 'v2').length;
    expect(fromV2).toBeGreaterThanOrEqual(20);
    expect(fromV2).toBeLessThanOrEqual(25);
    expect(await get()).toBe('v1');
    const after = await route();
    expect(after.effectiveWeights).toEqual({ v1: 1, v2: 0 });
    expect(after.history[0]).toMatchObject({ origin: 'guard', reason: 'rolled back by guard: success 0% < baseline 100% after 20 requests' });
    expect(after.guard).toMatchObject({ state: 'rolled-back', reason: after.history[0]?.reason, observed: { requests: fromV2, failures: fromV2 } });
  });

  it('leaves a healthy v2 alone and passes when the watch ends', async () => {
    const { client, get, route } = await startMesh(200);
    for (let i = 0; i < 10; i++) await get();
    await client.call('reroute', { service: 'world', version: 'v2', origin: 'api', guard: { forSeconds: 1, minRequests: 20 } });
    for (let i = 0; i < 30; i++) expect(await get()).toBe('v2');
    const passed = await until(route, (value) => value.guard?.state !== 'watching');
    expect(passed.guard).toMatchObject({ state: 'passed', observed: { requests: 30, failures: 0 } });
    expect(passed.guard?.reason).toMatch(/^passed: success 100% \(baseline 100%\), p99 .* over 30 requests$/);
    expect(passed.effectiveWeights).toEqual({ v1: 0, v2: 1 });
    expect(await get()).toBe('v2');
  });

  it('does not fire below the minimum, and ends "not judged"', async () => {
    const { client, get, route } = await startMesh(500);
    await client.call('reroute', { service: 'world', version: 'v2', origin: 'api', guard: { forSeconds: 1, minRequests: 20 } });
    for (let i = 0; i < 19; i++) expect(await get()).toBe('v2');
    expect((await route()).guard).toMatchObject({ state: 'watching', observed: { requests: 19, failures: 19 } });
    const ended = await until(route, (value) => value.guard?.state !== 'watching');
    expect(ended.guard).toMatchObject({ state: 'passed', reason: 'not judged: only 19 requests reached v2 in 1 s (the guard needs 20)' });
    expect(ended.effectiveWeights).toEqual({ v1: 0, v2: 1 });
    expect(ended.history.map((change) => change.origin)).toEqual(['api']);
  });

  it('is superseded by the next change of the same route, and never rolls that one back', async () => {
    const { client, get, route } = await startMesh(500);
    await client.call('reroute', { service: 'world', weights: { v1: 50, v2: 50 }, origin: 'gui', guard: { minRequests: 5 } });
    const split = await client.call('reroute', { service: 'world', version: 'v2', origin: 'cli' });
    expect(split.guard).toBeUndefined();
    for (let i = 0; i < 10; i++) expect(await get()).toBe('v2');
    expect((await route()).history.map((change) => change.origin)).toEqual(['cli', 'gui']);
  });
});
