/**
 * Node's own clients, each in a process of its own as a Node service would run them: the global
 * fetch of Node 22 with NODE_USE_ENV_PROXY=1 and HTTP_PROXY (it sends `CONNECT world:80` even for
 * http:// URLs, then keeps the tunnel alive), and undici's ProxyAgent tunnelling. Inside those
 * tunnels every request is routed afresh: a reroute between two requests on the same kept-alive
 * agent takes effect at the next one, retries carry an instance killed under load, faults apply.
 * Run: npx vitest run main/mesh/proxy/client-node-tunnels.test.ts
 */
import { describe, expect, it } from 'vitest';
import type { Fault, Route } from '../../../shared/routes.js';
import { startProxy } from './testing/harness.js';
import { namedUpstream } from './testing/load.js';
import { startNodeClient, type NodeClientKind } from './testing/node-client.js';

/** A route table the test changes between requests, as `meshdesk route` changes the mesh's. */
function mutableRoutes(): { get(service: string): Route | undefined; set(service: string, route: Route): void } {
  const routes = new Map<string, Route>();
  return { get: (service) => routes.get(service), set: (service, route) => routes.set(service, route) };
}

describe.each<[NodeClientKind, string]>([
  ['fetch', "Node 22's fetch with NODE_USE_ENV_PROXY=1"],
  ['proxy-agent', "undici's ProxyAgent with proxyTunnel"],
])('%s (%s)', (kind) => {
  it('answers from the new version at the next request after a reroute, on the same kept-alive tunnel', async () => {
    const v1 = await namedUpstream('world v1');
    const v2 = await namedUpstream('world v2');
    const routes = mutableRoutes();
    const harness = await startProxy({ routes });
    harness.register({ world: { v1: [v1.address], v2: [v2.address] } });
    let connects = 0;
    harness.proxy.server.on('connect', () => connects++);
    const client = await startNodeClient(kind, harness.url);
    const before = await client.send({ url: 'http://world/', count: 30 });
    expect(before.map((result) => result.body)).toEqual(Array(30).fill('world v1 /'));
    // undici may open a second tunnel while the first is being freed; none is opened after this.
    const tunnels = connects;
    expect(tunnels).toBeGreaterThanOrEqual(1);
    expect(tunnels).toBeLessThanOrEqual(2);
    routes.set('world', { weights: { v2: 100 }, headerRules: [] });
    const after = await client.send({ url: 'http://world/', count: 30 });
    expect(after.map((result) => result.body)).toEqual(Array(30).fill('world v2 /'));
    expect(connects).toBe(tunnels);
    await expect.poll(() => harness.events.length).toBe(60);
    // Requests, never tunnels: 60 GET events, each marked as having come through one.
    expect(harness.events.every((event) => event.method === 'GET' && event.flags?.includes('tunnelled'))).toBe(true);
    expect(harness.events.map((event) => event.version)).toEqual([...Array(30).fill('v1'), ...Array(30).fill('v2')]);
  });
});

describe("Node 22's fetch through tunnels, with the mesh's resilience", () => {
  it('loses no GET when an instance is killed under load (retries work inside tunnels)', async () => {
    const a = await namedUpstream('world');
    const b = await namedUpstream('world');
    const harness = await startProxy({ policy: { holdMs: 0 } });
    harness.register({ world: [a.address, b.address] });
    const client = await startNodeClient('fetch', harness.url);
    const load = client.send({ url: 'http://world/', count: 600, concurrency: 6 });
    await expect.poll(() => a.hits() + b.hits(), { interval: 5 }).toBeGreaterThan(150);
    a.server.closeAllConnections();
    a.server.close();
    const results = await load;
    const failed = results.filter((result) => result.status !== 200);
    expect(failed).toEqual([]);
    expect(b.hits()).toBeGreaterThan(0);
    await expect.poll(() => harness.events.length).toBe(600);
    expect(harness.events.some((event) => event.flags?.includes('retried'))).toBe(true);
  });

  it('applies a fault rule to requests inside the tunnel', async () => {
    const world = await namedUpstream('world');
    const fault: Fault = { service: 'world', percent: 100, abortStatus: 503 };
    const harness = await startProxy({ faults: { size: 1, match: (service) => (service === 'world' ? fault : undefined) } });
    harness.register({ world: [world.address] });
    const client = await startNodeClient('fetch', harness.url);
    const results = await client.send({ url: 'http://world/', count: 5 });
    expect(results.map((result) => result.status)).toEqual([503, 503, 503, 503, 503]);
    expect(world.hits()).toBe(0);
    await expect.poll(() => harness.events.length).toBe(5);
    for (const event of harness.events) {
      expect(event).toMatchObject({ status: 503, flags: ['fault-injected', 'tunnelled'] });
      expect(event.decision?.map((step) => step.step)).toEqual(['tunnel', 'version', 'instance', 'fault']);
    }
  });
});
