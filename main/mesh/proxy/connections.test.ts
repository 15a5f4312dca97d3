/**
 * Connection handling on both sides: client keep-alive, pipelined requests answered in order,
 * HTTP/1.0 clients, and upstream connections kept alive and pooled per instance.
 * Run: npx vitest run main/mesh/proxy/connections.test.ts
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { echoHandler, startProxy, startUpstream } from './testing/harness.js';
import { hasResponses, proxyRequest, rawRequest, statusesOf } from './testing/raw-client.js';

describe('client connections', () => {
  it('serves many requests over one kept-alive client connection', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    for (let i = 0; i < 5; i++) {
      const body = await new Promise<string>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: harness.port, path: `http://world/${i}`, agent }, (res) => {
          sockets.add(res.socket);
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end();
      });
      expect(body).toBe(`world GET /${i} `);
    }
    agent.destroy();
    expect(sockets.size).toBe(1);
  });

  it('answers pipelined requests in order, even when the first is the slowest', async () => {
    const world = await startUpstream((req, res) => {
      const delay = req.url === '/slow' ? 150 : 0;
      setTimeout(() => res.end(`answer ${req.url}`), delay);
    });
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const pipeline = ['/slow', '/b', '/c'].map((path) => `GET http://world${path} HTTP/1.1\r\nHost: world\r\n\r\n`).join('');
    const answer = await rawRequest(harness.port, pipeline, { until: hasResponses(3) });
    expect(statusesOf(answer.text)).toEqual([200, 200, 200]);
    const order = [...answer.text.matchAll(/answer (\/(?:slow|b|c))/g)].map((match) => match[1]);
    expect(order).toEqual(['/slow', '/b', '/c']);
  });

  it('serves HTTP/1.0 clients, closing or keeping the connection as they ask', async () => {
    const world = await startUpstream((req, res) => {
      const body = `world GET ${req.url} `;
      res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
    });
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const plain = await rawRequest(harness.port, 'GET http://world/old HTTP/1.0\r\n\r\n', { timeoutMs: 5_000 });
    expect(plain.closed, 'HTTP/1.0 without keep-alive ends with the connection').toBe(true);
    expect(plain.text).toMatch(/^HTTP\/1.1 200/);
    expect(plain.text).not.toMatch(/transfer-encoding: chunked/i);
    expect(plain.text.endsWith('world GET /old ')).toBe(true);
    const hostRouted = await rawRequest(harness.port, 'GET /old HTTP/1.0\r\nHost: world\r\n\r\n');
    expect(hostRouted.text.endsWith('world GET /old ')).toBe(true);
    const kept = await rawRequest(
      harness.port,
      'GET http://world/1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET http://world/2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
      { until: hasResponses(2) },
    );
    expect(statusesOf(kept.text)).toEqual([200, 200]);
  });

  it('relays a chunked upstream answer to an HTTP/1.0 client, delimited by close', async () => {
    const world = await startUpstream((_req, res) => {
      res.write('part one, ');
      setTimeout(() => res.end('part two'), 20);
    });
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const answer = await rawRequest(harness.port, 'GET http://world/ HTTP/1.0\r\n\r\n');
    expect(answer.closed).toBe(true);
    expect(answer.text.endsWith('\r\n\r\npart one, part two')).toBe(true);
  });
});

describe('upstream connections', () => {
  it('are kept alive and pooled per instance', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    for (let i = 0; i < 20; i++) expect((await proxyRequest(harness.port, `http://world/${i}`)).status).toBe(200);
    // 20 client connections (proxyRequest opens one each), one upstream connection.
    expect(world.connections()).toBe(1);
    await Promise.all(Array.from({ length: 10 }, (_, i) => proxyRequest(harness.port, `http://world/p${i}`)));
    expect(world.connections(), 'concurrency opens more, never one per request').toBeLessThanOrEqual(10);
  });
});
