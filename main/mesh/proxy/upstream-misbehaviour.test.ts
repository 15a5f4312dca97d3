/**
 * Upstreams that break HTTP: garbage instead of a response, headers over the limit, a status Node
 * will not relay, a body shorter than its Content-Length, an early answer that ignores the upload.
 * Each is a 502 (or the upstream's own answer) for the client, never a crash, and the proxy keeps
 * serving.
 * Run: npx vitest run main/mesh/proxy/upstream-misbehaviour.test.ts
 */
import net from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { listenOn, startProxy, startUpstream, type ProxyHarness } from './testing/harness.js';
import { proxyRequest, rawRequest, statusOf } from './testing/raw-client.js';

/** An upstream that answers every request with `reply` bytes, then closes. */
async function rawUpstream(reply: string | Buffer): Promise<string> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(reply));
  });
  const port = await listenOn(server);
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `127.0.0.1:${port}`;
}

async function stillServing(harness: ProxyHarness): Promise<void> {
  const healthy = await startUpstream((_req, res) => res.end('healthy'));
  harness.register({ healthy: [healthy.address] });
  expect((await proxyRequest(harness.port, 'http://healthy/')).body).toBe('healthy');
}

describe('misbehaving upstreams', () => {
  it.each([
    ['garbage instead of a response', 'SSH-2.0-OpenSSH_9.2\r\n', /malformed response|upstream/],
    ['headers over 64 KiB', `HTTP/1.1 200 OK\r\nX-Huge: ${'h'.repeat(70 * 1024)}\r\n\r\n`, /headers too large|malformed/],
    ['a status code out of range', 'HTTP/1.1 099 Odd\r\nContent-Length: 0\r\n\r\n', /upstream/],
    ['a control character in a header', 'HTTP/1.1 200 OK\r\nX-Bad: a\x01b\r\nContent-Length: 0\r\n\r\n', /upstream/],
    ['nothing at all', '', /reset|closed|upstream/],
  ])('answers %s with 502', async (_name, reply, cause) => {
    const address = await rawUpstream(reply);
    const harness = await startProxy();
    harness.register({ broken: [address] });
    const response = await proxyRequest(harness.port, 'http://broken/', { headers: { accept: 'application/json' } });
    expect(response.status).toBe(502);
    const body = JSON.parse(response.body) as { error: string; instance: string };
    expect(body.instance).toBe(address);
    expect(body.error).toMatch(cause);
    await stillServing(harness);
  });

  it('cuts the client off when the body is shorter than its Content-Length', async () => {
    const address = await rawUpstream('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort');
    const harness = await startProxy();
    harness.register({ broken: [address] });
    const answer = await rawRequest(harness.port, 'GET http://broken/ HTTP/1.1\r\nHost: broken\r\n\r\n');
    expect(statusOf(answer.text)).toBe(200);
    expect(answer.closed).toBe(true);
    expect(answer.text.endsWith('short')).toBe(true);
    await stillServing(harness);
  });

  it('relays an early answer from an upstream that ignores the upload', async () => {
    const world = await startUpstream((req, res) => {
      res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
      res.end('too big for me');
      req.socket.destroySoon();
    });
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const answer = await rawRequest(
      harness.port,
      ['PUT http://world/upload HTTP/1.1\r\nHost: world\r\nContent-Length: 10000000\r\n\r\n', Buffer.alloc(64 * 1024)],
      { until: (text) => text.includes('too big for me') },
    );
    expect(statusOf(answer.text)).toBe(413);
    await stillServing(harness);
  });
});
