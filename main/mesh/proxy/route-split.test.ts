/**
 * Routes in the proxy: weights split traffic between versions (80/20 within ±3% over 5,000
 * requests), the override header and header rules beat the weights every time, an alias sends a
 * service's traffic to another service, and each request's event says why it went where it did.
 * Real proxy, real RouteTable, real upstreams, real HTTP client.
 * Run: npx vitest run main/mesh/proxy/route-split.test.ts
 */
import { describe, expect, it } from 'vitest';
import type { Route } from '../../../shared/routes.js';
import { RouteTable } from '../routing/route-table.js';
import { startProxy } from './testing/harness.js';
import { closedLoop, namedUpstream, ProxyClient } from './testing/load.js';

async function worldWithTwoVersions(overrides: Record<string, Route> = {}) {
  const v1 = await namedUpstream('v1');
  const v2 = await namedUpstream('v2');
  let routes: RouteTable | null = null;
  const harness = await startProxy({ routes: { get: (service) => routes?.get(service) } });
  routes = new RouteTable({ lookup: (service) => harness.registry.lookup(service), overrides, saveOverrides: () => undefined });
  harness.register({ world: { v1: [v1.address], v2: [v2.address] } });
  return { harness, routes, client: new ProxyClient(harness.port) };
}

describe('routes in the proxy', () => {
  it('splits 80/20 within ±3% over 5,000 requests', async () => {
    const { routes, client, harness } = await worldWithTwoVersions();
    routes.reroute({ service: 'world', weights: { v1: 80, v2: 20 }, origin: 'api' });
    const counts = { v1: 0, v2: 0, other: 0 };
    await closedLoop(5_000, 16, async () => {
      const reply = await client.send('world');
      const name = reply.body.split(' ')[0];
      if (reply.status === 200 && (name === 'v1' || name === 'v2')) counts[name]++;
      else counts.other++;
    });
    console.log(`80/20 split over 5,000 requests: v1 ${counts.v1}, v2 ${counts.v2}`);
    expect(counts.other).toBe(0);
    expect(Math.abs(counts.v1 / 5_000 - 0.8)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(counts.v2 / 5_000 - 0.2)).toBeLessThanOrEqual(0.03);
    const weighted = await harness.nextEvent((event) => event.version === 'v2');
    expect(weighted.decision?.find((step) => step.step === 'version')).toEqual({ step: 'version', choice: 'v2', reason: 'weight 20%' });
  });

  it('lets the override header beat the split every time, and says so', async () => {
    const { routes, client, harness } = await worldWithTwoVersions();
    routes.reroute({ service: 'world', weights: { v1: 80, v2: 20 }, origin: 'api' });
    const served: string[] = [];
    await closedLoop(500, 8, async () => {
      const reply = await client.send('world', { headers: { 'x-meshdesk-route': 'hello=v9, world=v2' } });
      served.push(`${reply.status} ${reply.body.split(' ')[0]}`);
    });
    expect(new Set(served)).toEqual(new Set(['200 v2']));
    const event = await harness.nextEvent((e) => e.version === 'v2');
    expect(event.decision?.[0]).toEqual({ step: 'version', choice: 'v2', reason: 'override header x-meshdesk-route: world=v2' });
  });

  it('applies header rules before weights, and an unknown override falls back to the route', async () => {
    const rule: Route = { weights: { v1: 1 }, headerRules: [{ header: 'x-canary', value: '1', version: 'v2' }] };
    const { client } = await worldWithTwoVersions({ world: rule });
    for (let i = 0; i < 50; i++) expect((await client.send('world', { headers: { 'x-canary': '1' } })).body).toBe('v2 /');
    for (let i = 0; i < 50; i++) expect((await client.send('world', { headers: { 'x-canary': '0' } })).body).toBe('v1 /');
    expect((await client.send('world', { headers: { 'x-meshdesk-route': 'world=v9' } })).body).toBe('v1 /');
  });

  it('sends an aliased service to its target, recording the alias', async () => {
    const next = await namedUpstream('search-next');
    const old = await namedUpstream('search-old');
    let routes: RouteTable | null = null;
    const harness = await startProxy({ routes: { get: (service) => routes?.get(service) } });
    routes = new RouteTable({
      lookup: (service) => harness.registry.lookup(service),
      overrides: { search: { alias: 'search-next', headerRules: [] } },
      saveOverrides: () => undefined,
    });
    harness.register({ search: [old.address], 'search-next': [next.address] });
    const client = new ProxyClient(harness.port);
    expect((await client.send('search', { path: '/q' })).body).toBe('search-next /q');
    const event = await harness.nextEvent((e) => e.path === '/q');
    expect(event).toMatchObject({ service: 'search-next', instance: next.address, status: 200 });
    expect(event.decision?.[0]).toEqual({ step: 'alias', choice: 'search-next', reason: 'route of search aliases it to search-next' });
    expect(old.hits()).toBe(0);
  });

  it('refuses an alias to a service that does not exist, naming both', async () => {
    const harness = await startProxy({ routes: { get: (service) => (service === 'search' ? { alias: 'nowhere', headerRules: [] } : undefined) } });
    const old = await namedUpstream('search-old');
    harness.register({ search: [old.address] });
    const reply = await new ProxyClient(harness.port).send('search');
    expect(reply.status).toBe(503);
    expect(reply.body).toMatch(/alias search -> nowhere: no such service/);
  });

  it('puts attempts, flags and the whole decision trace on each request event', async () => {
    const { client, harness } = await worldWithTwoVersions();
    await client.send('world', { path: '/traced' });
    const event = await harness.nextEvent((e) => e.path === '/traced');
    expect(event.attempts).toEqual([{ instance: event.instance, status: 200, error: null, ms: expect.any(Number) }]);
    expect(event.retries).toBe(0);
    expect(event.flags).toEqual([]);
    // No retry was made, so the retry budget had no say and is not in the trace (retries.test.ts has it).
    expect(event.decision?.map((step) => step.step)).toEqual(['version', 'instance']);
    expect(event.decision?.[0]).toEqual({ step: 'version', choice: 'v1', reason: 'default: first version' });
    expect(event.decision?.[1]).toMatchObject({ step: 'instance', choice: event.instance, reason: 'the only instance available' });
  });
});
