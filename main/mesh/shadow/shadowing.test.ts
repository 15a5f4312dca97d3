// Shadow traffic on a real mesh: real upstream servers for world v1 and v2, requests through the
// proxy with a keep-alive client, the rules and diffs read through the admin API as the CLI and
// the dashboard read them.
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../../shared/admin-client.js';
import { ProxyClient } from '../proxy/testing/load.js';
import { listenUpstream } from '../testing/http-upstream.js';
import { startTestMesh } from '../testing/test-mesh.js';
import { MemoryStore } from '../store/memory-store.js';
import { emptyMeshState, type MeshState } from '../store/mesh-state.js';
import type { StateStore } from '../store/state-store.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A JSON service: `{ name, version, greeting, at }`, `at` different on every call (noise). */
function jsonVersion(version: string, greeting: string, seen: Seen[], delay: () => Promise<void> = async () => undefined): http.RequestListener {
  return (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      void delay().then(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ name: 'world', version, greeting, at: `${process.hrtime.bigint()}` }));
      });
    });
  };
}

async function startWorld(options: { v2Greeting?: string; v2Delay?: () => Promise<void>; shadowYaml?: string; store?: StateStore<MeshState> } = {}) {
  const v1Seen: Seen[] = [];
  const v2Seen: Seen[] = [];
  const v1 = await listenUpstream(jsonVersion('v1', 'hello', v1Seen), cleanups);
  const v2 = await listenUpstream(jsonVersion('v2', options.v2Greeting ?? 'hello', v2Seen, options.v2Delay), cleanups);
  const yaml = [
    'services:',
    '  world:',
    '    versions:',
    `      v1: { instances: [127.0.0.1:${v1}] }`,
    `      v2: { instances: [127.0.0.1:${v2}] }`,
    ...(options.shadowYaml ? [`    shadow: ${options.shadowYaml}`] : []),
    '',
  ].join('\n');
  const { mesh, addresses } = await startTestMesh({ yaml, adminToken: 'secret', cleanups, ...(options.store ? { stateStore: options.store } : {}) });
  const client = new AdminClient(addresses.adminUrl, 'secret');
  const proxy = new ProxyClient(addresses.proxyPort);
  return { mesh, client, proxy, v1Seen, v2Seen };
}

describe('shadow traffic', () => {
  it("copies again after the last rule stopped and a new one started (the copies' thread let go, then started afresh)", async () => {
    const { client, proxy, v2Seen } = await startWorld();
    await client.call('startShadow', { service: 'world', to: 'v2' });
    await proxy.send('world', { path: '/first' });
    await expect.poll(() => v2Seen.length).toBe(1);
    await client.call('stopShadow', { service: 'world' });
    await proxy.send('world', { path: '/not-copied' });
    await client.call('startShadow', { service: 'world', to: 'v2' });
    await proxy.send('world', { path: '/second' });
    await expect.poll(() => v2Seen.map((seen) => seen.url)).toEqual(['/first', '/second']);
    // v2 has the copy before the copies' thread reports its answer back: the counts follow.
    await expect.poll(async () => (await client.call('listShadows'))[0]?.stats).toMatchObject({ mirrored: 1, answered: 1, failed: 0 });
  });

  it('copies GETs to v2 while the caller gets v1, logs the copies apart and reports the field that differs, not the noise', async () => {
    const { client, proxy, v2Seen } = await startWorld({ v2Greeting: 'bonjour' });
    const view = await client.call('startShadow', { service: 'world', to: 'v2' });
    expect(view).toMatchObject({ service: 'world', to: 'v2', from: null, percent: 100, warning: null });
    for (let i = 0; i < 20; i++) {
      const reply = await proxy.send('world', {
        path: `/users/${i + 100}?verbose=1`,
        headers: { authorization: 'Bearer real-token', 'x-meshdesk-caller': 'hello' },
      });
      expect(JSON.parse(reply.body)).toMatchObject({ version: 'v1', greeting: 'hello' });
    }
    await expect.poll(async () => (await client.call('getDiffs', { service: 'world' })).pairs, { timeout: 5_000 }).toBe(20);
    const diffs = await client.call('getDiffs', { service: 'world' });
    expect(diffs.differing).toBe(20);
    expect(diffs.endpoints).toHaveLength(1);
    const endpoint = diffs.endpoints[0];
    expect(endpoint).toMatchObject({ method: 'GET', pattern: '/users/{id}', pairs: 20, differing: 20 });
    expect(endpoint?.fields.map((field) => field.field).sort()).toEqual(['body.greeting', 'body.version']);
    expect(endpoint?.noisy.map((field) => field.field)).toEqual(['body.at']);

    // The copy is the caller's request, secrets included (v2 must authenticate it), marked as a shadow.
    expect(v2Seen[0]).toMatchObject({ method: 'GET', url: '/users/100?verbose=1' });
    expect(v2Seen[0]?.headers).toMatchObject({ authorization: 'Bearer real-token', 'x-meshdesk-shadow': '1' });
    expect(v2Seen[0]?.headers['x-meshdesk-caller']).toBeUndefined();

    // Logged, flagged, with the caller's name, on v2; the pair's sides point at both exchanges, secrets masked.
    const [pair] = await client.call('listDiffPairs', { service: 'world', limit: 1 });
    expect(pair?.differences.find((difference) => difference.field === 'body.greeting')).toMatchObject({
      primary: '"hello"',
      shadow: '"bonjour"',
      noisy: false,
    });
    const copy = await client.call('getExchange', { id: pair?.shadow.exchangeId ?? 0 });
    expect(copy).toMatchObject({ caller: 'hello', service: 'world', version: 'v2', flags: ['shadow'], status: 200 });
    expect(pair?.primary).toMatchObject({ version: 'v1', status: 200 });
    expect((await client.call('getExchange', { id: pair?.primary.exchangeId ?? 0 })).flags ?? []).not.toContain('shadow');

    // The caller's edge and v2's stats count only what the caller sent: 20 requests, all to v1.
    const stats = await client.call('getStats');
    const requestsTo = (version: string) =>
      stats.versions.find((series) => series.service === 'world' && series.version === version)?.stats.totals.requests ?? 0;
    expect(requestsTo('v1')).toBe(20);
    expect(requestsTo('v2')).toBe(0);
    expect(stats.edges.filter((edge) => edge.version === 'v2')).toEqual([]);
    const [shadow] = await client.call('listShadows');
    expect(shadow?.stats).toMatchObject({ mirrored: 20, answered: 20, failed: 0, dropped: 0, skipped: 0 });
    expect(shadow?.stats.noiseProbes).toBeGreaterThan(0);
  });

  it('reports nothing when v2 answers the same, timestamps aside', async () => {
    const { client, proxy } = await startWorld();
    await client.call('startShadow', { service: 'world', to: 'v2', ignoreHeaders: [] });
    for (let i = 0; i < 10; i++) await proxy.send('world', { path: '/hello' });
    await expect.poll(async () => (await client.call('getDiffs', { service: 'world' })).pairs, { timeout: 5_000 }).toBe(10);
    const diffs = await client.call('getDiffs', { service: 'world' });
    // `version` differs too: v1 says v1 and v2 says v2. Only that.
    expect(diffs.endpoints[0]?.fields.map((field) => field.field)).toEqual(['body.version']);
    expect(diffs.endpoints[0]?.noisy.map((field) => field.field)).toEqual(['body.at']);
  });

  it('copies a POST only when the rule opts in, and then warns of the doubled side effects', async () => {
    const { client, proxy, v2Seen } = await startWorld();
    await client.call('startShadow', { service: 'world', to: 'v2' });
    await proxy.send('world', { method: 'POST', path: '/orders', body: '{"item":1}', headers: { 'content-type': 'application/json' } });
    await proxy.send('world', { path: '/orders' });
    await expect.poll(() => v2Seen.length).toBe(1);
    expect(v2Seen[0]?.method).toBe('GET');

    const view = await client.call('startShadow', { service: 'world', to: 'v2', methods: ['post'] });
    expect(view.methods).toEqual(['POST']);
    expect(view.warning).toContain('POST requests are copied');
    await proxy.send('world', { method: 'POST', path: '/orders', body: '{"item":2}', headers: { 'content-type': 'application/json' } });
    await expect.poll(() => v2Seen.filter((seen) => seen.method === 'POST').map((seen) => seen.body)).toEqual(['{"item":2}']);
  });

  it('drops copies past its bound and counts them, while the caller is answered at v1 speed', async () => {
    // v2 never answers (within the test): every copy stays in flight.
    const { client, proxy } = await startWorld({ v2Delay: () => new Promise(() => undefined) });
    await client.call('startShadow', { service: 'world', to: 'v2' });
    const latencies: number[] = [];
    for (let i = 0; i < 300; i++) {
      const reply = await proxy.send('world', { path: `/items/${i}` });
      expect(reply.status).toBe(200);
      latencies.push(performance.now() - reply.sentAt);
    }
    const [view] = await client.call('listShadows');
    expect(view?.stats.dropped).toBeGreaterThanOrEqual(300 - 256);
    expect(view?.stats.pending).toBeLessThanOrEqual(256);
    expect(view?.stats.mirrored).toBe(0);
    // Not a timing target (bench/shadow measures that): a caller made to wait for v2 would not be answered at all.
    latencies.sort((a, b) => a - b);
    expect(latencies[Math.floor(latencies.length / 2)]).toBeLessThan(100);
  });

  it('takes shadow: from meshdesk.yaml, persists rules set through the API, and refuses unknown services and versions', async () => {
    const fromYaml = await startWorld({ shadowYaml: '{ to: v2, from: v1, percent: 50 }' });
    expect(await fromYaml.client.call('listShadows')).toMatchObject([{ service: 'world', to: 'v2', from: 'v1', percent: 50, origin: 'config' }]);

    const store = new MemoryStore<MeshState>(emptyMeshState());
    const first = await startWorld({ store });
    await first.client.call('startShadow', { service: 'world', to: 'v2', percent: 25, origin: 'cli' });
    expect(store.get('shadows')).toMatchObject({ world: { to: 'v2', percent: 25, origin: 'cli' } });
    const second = await startWorld({ store });
    expect(await second.client.call('listShadows')).toMatchObject([{ service: 'world', to: 'v2', percent: 25, origin: 'cli' }]);
    await second.client.call('stopShadow', { service: 'world' });
    expect(store.get('shadows')).toEqual({});

    await expect(second.client.call('startShadow', { service: 'nope', to: 'v2' })).rejects.toThrow('unknown service nope');
    await expect(second.client.call('startShadow', { service: 'world', to: 'v9' })).rejects.toThrow('service world has no version v9 (it has v1, v2)');
    await expect(second.client.call('startShadow', { service: 'world', to: 'v2', from: 'v2' })).rejects.toThrow('from and to are both v2');
    await expect(second.client.call('startShadow', { service: 'world', to: 'v2', percent: 0 })).rejects.toThrow('percent must be above 0');
    await expect(second.client.call('stopShadow', { service: 'world' })).rejects.toThrow('service world has no shadow rule');
    await expect(second.client.call('getDiffs', { service: 'other' })).rejects.toThrow('service other was never shadowed');
  });
});
