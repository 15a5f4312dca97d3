/**
 * Hostile and broken input over raw sockets: garbage request lines, oversized headers, request
 * smuggling (conflicting Content-Length/Transfer-Encoding, Transfer-Encoding in HTTP/1.0), repeated
 * Host headers, Upgrade in HTTP/1.0, a CONNECT without a port, invalid chunk sizes. Each gets the
 * right status with a body saying why, nothing of a refused message reaches the upstream, and a
 * normal request succeeds right after.
 * Run: npx vitest run main/mesh/proxy/hostile-input.test.ts
 */
import { describe, expect, it } from 'vitest';
import { echoHandler, startProxy, startUpstream, type ProxyHarness, type Upstream } from './testing/harness.js';
import { proxyRequest, rawRequest, statusOf } from './testing/raw-client.js';

async function setUp(): Promise<{ harness: ProxyHarness; world: Upstream }> {
  const world = await startUpstream(echoHandler('world'));
  const harness = await startProxy({ limits: { maxHeaderBytes: 8 * 1024 } });
  harness.register({ world: [world.address] });
  return { harness, world };
}

async function expectStillServing(harness: ProxyHarness): Promise<void> {
  const response = await proxyRequest(harness.port, 'http://world/still-fine');
  expect(response.status).toBe(200);
  expect(response.body).toBe('world GET /still-fine ');
}

describe('hostile input', () => {
  it.each([
    ['garbage bytes', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n'],
    ['a request line without a version', 'GET http://world/\r\n\r\n'],
    ['a method with spaces', 'G E T / HTTP/1.1\r\nHost: world\r\n\r\n'],
    ['an unknown HTTP version', 'GET / HTTP/9.9\r\nHost: world\r\n\r\n'],
    ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: world\r\nthis is not a header\r\n\r\n'],
    ['a NUL inside a header value', 'GET / HTTP/1.1\r\nHost: world\r\nX-Bad: a\x00b\r\n\r\n'],
    ['a bare LF line ending mid-header', 'GET / HTTP/1.1\r\nHost: world\nX-A: b\r\n\r\n'],
  ])('answers %s with 400 and keeps serving', async (_name, payload) => {
    const { harness, world } = await setUp();
    const answer = await rawRequest(harness.port, Buffer.from(payload, 'latin1'));
    expect(statusOf(answer.text)).toBe(400);
    expect(answer.text).toMatch(/meshdesk: 400 malformed/);
    expect(answer.closed).toBe(true);
    expect(world.requests).toHaveLength(0);
    await expectStillServing(harness);
  });

  it('answers oversized headers with 431, naming the limit', async () => {
    const { harness, world } = await setUp();
    const answer = await rawRequest(harness.port, `GET http://world/ HTTP/1.1\r\nHost: world\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(statusOf(answer.text)).toBe(431);
    expect(answer.text).toMatch(/request headers too large \(limit 8192 bytes\)/);
    const longUrl = await rawRequest(harness.port, `GET http://world/${'p'.repeat(20_000)} HTTP/1.1\r\nHost: world\r\n\r\n`);
    expect(statusOf(longUrl.text)).toBe(431);
    expect(world.requests).toHaveLength(0);
    const event = await harness.nextEvent((e) => e.status === 431);
    expect(event).toMatchObject({ kind: 'proxy', error: expect.stringMatching(/too large/) });
    await expectStillServing(harness);
  });

  it.each([
    ['Content-Length with Transfer-Encoding', 'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: world\r\n\r\n'],
    ['Transfer-Encoding with Content-Length', 'Transfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: world\r\n\r\n'],
    ['two different Content-Lengths', 'Content-Length: 5\r\nContent-Length: 30\r\n\r\nhelloGET /smuggled HTTP/1.1\r\n\r\n'],
    ['an obfuscated Transfer-Encoding', 'Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\nContent-Length: 3\r\n\r\nabc'],
    ['a Transfer-Encoding that does not end in chunked', 'Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n'],
  ])('refuses request smuggling (%s) with 400; nothing reaches the upstream', async (_name, rest) => {
    const { harness, world } = await setUp();
    const answer = await rawRequest(harness.port, `POST http://world/upload HTTP/1.1\r\nHost: world\r\n${rest}`);
    expect(statusOf(answer.text)).toBe(400);
    expect(answer.text).not.toMatch(/world POST|smuggled/);
    expect(world.requests).toHaveLength(0);
    await expectStillServing(harness);
    expect(world.requests.map((req) => req.url)).toEqual(['/still-fine']);
  });

  it('answers an invalid chunk size with 400; the upstream never gets a complete request', async () => {
    const { harness, world } = await setUp();
    const answer = await rawRequest(harness.port, [
      'POST http://world/chunks HTTP/1.1\r\nHost: world\r\nTransfer-Encoding: chunked\r\n\r\n',
      '5\r\nhello\r\nzz\r\nnot a chunk\r\n0\r\n\r\n',
    ]);
    expect(statusOf(answer.text)).toBe(400);
    expect(answer.text).toMatch(/invalid chunk size/);
    expect(world.requests.every((req) => !req.complete)).toBe(true);
    const event = await harness.nextEvent((e) => e.path === '/chunks');
    expect(event).toMatchObject({ status: 400, service: 'world', error: expect.stringMatching(/chunk/) });
    await expectStillServing(harness);
  });

  it('refuses an HTTP/1.0 keep-alive request with Transfer-Encoding (RFC 9112 §6.1) and reads nothing after it', async () => {
    const { harness, world } = await setUp();
    const answer = await rawRequest(
      harness.port,
      'POST http://world/first HTTP/1.0\r\nHost: world\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' +
        'GET http://world/smuggled HTTP/1.1\r\nHost: world\r\n\r\n',
    );
    expect(statusOf(answer.text)).toBe(400);
    expect(answer.text).toMatch(/Transfer-Encoding in an HTTP\/1.0 request/);
    expect(answer.text).not.toMatch(/smuggled|world GET/);
    expect(answer.closed).toBe(true);
    await expectStillServing(harness);
    expect(world.requests.map((req) => req.url)).toEqual(['/still-fine']);
    expect(await harness.nextEvent((e) => e.status === 400)).toMatchObject({ kind: 'proxy', error: expect.stringMatching(/RFC 9112/) });
  });

  it('refuses two Host headers with 400 (RFC 9112 §3.2)', async () => {
    const { harness, world } = await setUp();
    const answer = await rawRequest(harness.port, 'GET /two-hosts HTTP/1.1\r\nHost: world\r\nhost: elsewhere\r\n\r\n');
    expect(statusOf(answer.text)).toBe(400);
    expect(answer.text).toMatch(/more than one Host header/);
    expect(answer.closed).toBe(true);
    expect(world.requests).toHaveLength(0);
    await expectStillServing(harness);
  });

  it('ignores Upgrade in an HTTP/1.0 request (RFC 9110 §7.8): forwarded as the plain request it is', async () => {
    const { harness, world } = await setUp();
    const answer = await rawRequest(
      harness.port,
      'GET http://world/socket HTTP/1.0\r\nHost: world\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    expect(statusOf(answer.text)).toBe(200);
    expect(answer.text).toMatch(/world GET \/socket $/);
    expect(answer.closed).toBe(true);
    expect(world.requests).toHaveLength(1);
    expect(world.requests[0]?.headers.upgrade).toBeUndefined();
    expect(await harness.nextEvent((e) => e.path === '/socket')).toMatchObject({ kind: 'service', status: 200, method: 'GET' });
  });

  it('refuses a CONNECT without a port with 400', async () => {
    const { harness, world } = await setUp();
    const answer = await rawRequest(harness.port, 'CONNECT world HTTP/1.1\r\nHost: world\r\n\r\n');
    expect(statusOf(answer.text)).toBe(400);
    expect(answer.text).toMatch(/expected host:port/);
    expect(world.requests).toHaveLength(0);
    await expectStillServing(harness);
  });
});
