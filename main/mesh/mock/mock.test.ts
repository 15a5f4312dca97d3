// Record-to-mock against a real mesh: real upstreams record through the real proxy, the upstream is
// stopped, and `world@recorded` answers in its place — byte for byte, routed like any version, with
// a clear answer for what was never recorded; a HAR from the dashboard's export loads; mocks survive
// a restart. Run: npx vitest run main/mesh/mock/mock.test.ts
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../../shared/admin-client.js';
import { exchangesToHar } from '../../../shared/har.js';
import { MOCK_HEADER } from '../../../shared/mock.js';
import { emptyMeshState } from '../store/mesh-state.js';
import { MemoryStore } from '../store/memory-store.js';
import { startTestMesh } from '../testing/test-mesh.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BINARY = randomBytes(3_000);

/** `world`: text with its own headers, binary bytes, a POST whose answer depends on its body, a query. */
function world(req: http.IncomingMessage, res: http.ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://world');
    if (url.pathname === '/hello') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-world': 'yes', 'set-cookie': 'a=1' });
      res.end('hello from world ✓\n');
    } else if (url.pathname === '/bin') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(BINARY);
    } else if (url.pathname === '/orders' && req.method === 'POST') {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ordered: JSON.parse(Buffer.concat(chunks).toString()) }));
    } else if (url.pathname === '/items') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ a: url.searchParams.get('a'), b: url.searchParams.get('b') }));
    } else {
      res.writeHead(500);
      res.end('unexpected');
    }
  });
}

async function listenWorld(): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = http.createServer(world);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  cleanups.push(() => (server.listening ? stop() : undefined));
  return { port: (server.address() as { port: number }).port, stop };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** An absolute-URI request through the proxy, as curl and http_proxy clients send it. */
function viaProxy(proxyUrl: string, method: string, url: string, body?: string, headers: http.OutgoingHttpHeaders = {}): Promise<Answer> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: proxy.hostname, port: proxy.port, method, path: url, headers: { host: new URL(url).host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const REQUESTS: [string, string, string?][] = [
  ['GET', 'http://world/hello'],
  ['GET', 'http://world/bin'],
  ['POST', 'http://world/orders', '{"item":"tea"}'],
  ['GET', 'http://world/items?b=2&a=1'],
];

async function recordingMesh() {
  const upstream = await listenWorld();
  const yaml = `services:\n  world:\n    versions:\n      v1: { instances: [127.0.0.1:${upstream.port}] }\n`;
  const started = await startTestMesh({ yaml, adminToken: 'secret', cleanups });
  const client = new AdminClient(started.addresses.adminUrl, 'secret');
  const originals: Answer[] = [];
  for (const [method, url, body] of REQUESTS) originals.push(await viaProxy(started.addresses.proxyUrl, method, url, body));
  await expect.poll(async () => (await client.call('queryLog', { service: 'world' })).exchanges.length).toBe(REQUESTS.length);
  return { ...started, upstream, client, originals, proxyUrl: started.addresses.proxyUrl };
}

describe('record-to-mock', () => {
  it("replays a recording byte for byte with world's process stopped, and answers what was not recorded clearly", async () => {
    const { client, upstream, originals, proxyUrl, dir } = await recordingMesh();
    const recorded = await client.call('recordMock', { service: 'world' });
    expect(recorded).toEqual({ service: 'world', file: path.join(dir, 'mocks', 'world.har'), entries: 4 });
    expect(JSON.parse(readFileSync(recorded.file, 'utf8')).log.version).toBe('1.2');

    await upstream.stop();
    const view = await client.call('serveMock', { service: 'world' });
    expect(view).toMatchObject({ service: 'world', version: 'recorded', entries: 4, hits: 0, misses: 0, file: recorded.file });
    const route = await client.call('reroute', { service: 'world', version: 'recorded', origin: 'api' });
    expect(route.versions).toEqual(['v1', 'recorded']);

    for (const [index, [method, url, body]] of REQUESTS.entries()) {
      const answer = await viaProxy(proxyUrl, method, url, body);
      const original = originals[index] as Answer;
      expect(answer.status, url).toBe(original.status);
      expect(answer.body.equals(original.body), url).toBe(true);
      expect(answer.headers['content-type']).toBe(original.headers['content-type']);
      expect(answer.headers[MOCK_HEADER]).toBe('hit');
    }
    expect((await viaProxy(proxyUrl, 'GET', 'http://world/hello')).headers['x-world']).toBe('yes');
    // Query parameters match in any order.
    expect((await viaProxy(proxyUrl, 'GET', 'http://world/items?a=1&b=2')).body.toString()).toBe('{"a":"1","b":"2"}');

    const missed = await viaProxy(proxyUrl, 'GET', 'http://world/missing?x=1');
    expect(missed.status).toBe(404);
    expect(missed.headers[MOCK_HEADER]).toBe('miss');
    const text = missed.body.toString();
    expect(text).toContain('nothing recorded matches GET /missing?x=1');
    expect(text).toContain('the recording mocks/world.har has 4 requests');
    expect(text).toContain('  GET /hello\n');
    expect(text).toContain('  GET /items?a=1&b=2\n');
    // Another body is another request.
    expect((await viaProxy(proxyUrl, 'POST', 'http://world/orders', '{"item":"coffee"}')).status).toBe(404);

    await expect.poll(async () => (await client.call('listMocks'))[0]).toMatchObject({ hits: 6, misses: 2 });
    const [mock] = await client.call('listMocks');
    expect(mock?.recentMisses.map((miss) => `${miss.method} ${miss.path}`)).toEqual(['POST /orders', 'GET /missing?x=1']);
    // The log shows every mock answer as world@recorded: none of the recorded ones failed.
    await expect.poll(async () => (await client.call('queryLog', { service: 'world', version: 'recorded' })).exchanges.length).toBe(8);
    const log = await client.call('queryLog', { service: 'world', version: 'recorded' });
    expect(log.exchanges.filter((exchange) => exchange.failed)).toEqual([]);

    const left = await client.call('stopMock', { service: 'world' });
    expect(left).toEqual([]);
    expect((await client.call('listServices'))[0]?.versions.map((version) => version.name)).toEqual(['v1']);
  });

  it('routes to recorded like any version: the override header, a split', async () => {
    const { client, originals, proxyUrl } = await recordingMesh();
    await client.call('recordMock', { service: 'world' });
    await client.call('serveMock', { service: 'world' });
    const viaOverride = await viaProxy(proxyUrl, 'GET', 'http://world/hello', undefined, { 'x-meshdesk-route': 'world=recorded' });
    expect(viaOverride.headers[MOCK_HEADER]).toBe('hit');
    expect(viaOverride.body.equals(originals[0]?.body as Buffer)).toBe(true);
    expect((await viaProxy(proxyUrl, 'GET', 'http://world/hello')).headers[MOCK_HEADER]).toBeUndefined();
    await client.call('reroute', { service: 'world', weights: { v1: 1, recorded: 1 }, origin: 'api' });
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i++) seen.add(String((await viaProxy(proxyUrl, 'GET', 'http://world/hello')).headers[MOCK_HEADER] ?? 'v1'));
    expect(seen).toEqual(new Set(['v1', 'hit']));
  });

  it("loads a recording made from the dashboard's HAR export, with other services' entries left out", async () => {
    const { client, upstream, originals, proxyUrl, dir } = await recordingMesh();
    // What the request log's "Export HAR" builds: every exchange the log holds, with the filter as comment.
    const exchanges = (await client.call('queryLog', { limit: 1_000 })).exchanges;
    const har = exchangesToHar(exchanges, { version: 'test', comment: 'Meshdesk request log' });
    har.log.entries.push({ ...(har.log.entries[0] as (typeof har.log.entries)[number]), _meshdesk: { service: 'hello' } });
    const file = path.join(dir, 'meshdesk-export.har');
    writeFileSync(file, JSON.stringify(har, null, 2));
    await upstream.stop();
    const view = await client.call('serveMock', { service: 'world', from: file, matching: 'path' });
    expect(view).toMatchObject({ entries: 4, skipped: ['1 entry: another service'], matching: 'path' });
    await client.call('reroute', { service: 'world', version: 'recorded', origin: 'api' });
    // Matching on method and path only: another query still finds /items.
    expect((await viaProxy(proxyUrl, 'GET', 'http://world/items?c=3')).body.toString()).toBe(originals[3]?.body.toString());
    expect((await viaProxy(proxyUrl, 'GET', 'http://world/bin')).body.equals(BINARY)).toBe(true);
  });

  it('matches headers when asked, and replays the recorded latency', async () => {
    const { client, proxyUrl, dir } = await recordingMesh();
    await client.call('recordMock', { service: 'world' });
    const file = path.join(dir, 'mocks', 'world.har');
    const har = JSON.parse(readFileSync(file, 'utf8')) as { log: { entries: { time: number; request: { url: string } }[] } };
    for (const entry of har.log.entries) entry.time = entry.request.url.endsWith('/hello') ? 300 : 0;
    writeFileSync(file, JSON.stringify(har));
    await client.call('serveMock', { service: 'world', matching: 'headers', replayLatency: true });
    await client.call('reroute', { service: 'world', version: 'recorded', origin: 'api' });
    const started = performance.now();
    expect((await viaProxy(proxyUrl, 'GET', 'http://world/hello')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    // A header the recording did not send is another request; an ignored one (user-agent) is not.
    expect((await viaProxy(proxyUrl, 'GET', 'http://world/bin', undefined, { 'x-tenant': 'b' })).status).toBe(404);
    expect((await viaProxy(proxyUrl, 'GET', 'http://world/bin', undefined, { 'user-agent': 'other/1' })).status).toBe(200);
  });

  it('serves its mocks again after a restart, and says why one cannot be', async () => {
    const { client, mesh, dir } = await recordingMesh();
    await client.call('recordMock', { service: 'world' });
    await client.call('recordMock', { service: 'world', out: path.join(dir, 'gone.har') });
    const store = new MemoryStore(emptyMeshState());
    store.set('mocks', [
      { service: 'world', file: path.join(dir, 'mocks', 'world.har'), matching: 'request', replayLatency: false },
      { service: 'hello', file: path.join(dir, 'nowhere.har'), matching: 'request', replayLatency: false },
    ]);
    await mesh.stop(0);
    const again = await startTestMesh({ yaml: readFileSync(path.join(dir, 'meshdesk.yaml'), 'utf8'), adminToken: 'secret', stateStore: store, cleanups });
    const client2 = new AdminClient(again.addresses.adminUrl, 'secret');
    expect((await client2.call('listMocks')).map((mock) => mock.service)).toEqual(['world']);
    const info = await client2.call('getInfo');
    expect(info.configErrors.map((error) => error.message)).toEqual([
      expect.stringMatching(/^mock of hello not served: cannot read .*nowhere\.har: no such file/),
    ]);
    const answer = await viaProxy(again.addresses.proxyUrl, 'GET', 'http://world/hello', undefined, { 'x-meshdesk-route': 'world=recorded' });
    expect(answer.headers[MOCK_HEADER]).toBe('hit');
    // Stopping persists too.
    await client2.call('stopMock', { service: 'world' });
    expect(store.get('mocks')).toEqual([]);
  });

  it('refuses what it cannot do, saying why', async () => {
    const { client, dir } = await recordingMesh();
    await expect(client.call('serveMock', { service: 'world' })).rejects.toThrow('no such file (record one first: meshdesk mock record)');
    await expect(client.call('recordMock', { service: 'nope' })).rejects.toThrow('the request log holds no exchange of nope to record');
    writeFileSync(path.join(dir, 'bad.har'), '{"log": {}}');
    await expect(client.call('serveMock', { service: 'world', from: path.join(dir, 'bad.har') })).rejects.toThrow('is not a HAR 1.2 log (log.entries');
    await expect(client.call('stopMock', { service: 'world' })).rejects.toThrow('world has no mock');
  });
});
