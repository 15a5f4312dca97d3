/**
 * CONNECT tunnels to hosts outside the mesh, at the byte level (the TLS cases run with real clients
 * in client-*.test.ts; tunnels to services, which the mesh serves itself, in service-tunnels.test.ts):
 * bytes sent before and after the 200 arrive in order both ways, a half-close still gets the rest of
 * the answer, an unreachable or refused destination is an HTTP error, idle tunnels are closed, and
 * each tunnel is one request event when it ends.
 * Run: npx vitest run main/mesh/proxy/tunnel.test.ts
 */
import net from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { closedPort, listenOn, startProxy } from './testing/harness.js';
import { connectThrough, rawRequest, statusOf } from './testing/raw-client.js';

/** A TCP server that answers each connection with everything it received, once the client ends. */
async function startTcpCollector(): Promise<number> {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('end', () => socket.end(`got: ${received}`));
  });
  const port = await listenOn(server);
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return port;
}

async function readToEnd(socket: net.Socket): Promise<string> {
  let text = '';
  socket.resume();
  for await (const chunk of socket) text += (chunk as Buffer).toString();
  return text;
}

describe('CONNECT tunnels', () => {
  it('passes a tunnel to an unregistered host straight through, bytes both ways, including bytes sent before the 200 and after a half-close', async () => {
    const port = await startTcpCollector();
    const harness = await startProxy();
    const { socket, head } = await connectThrough(harness.port, `127.0.0.1:${port}`, 'early bytes, ');
    expect(head).toMatch(/^HTTP\/1.1 200 Connection Established\r\nvia: 1.1 meshdesk$/);
    socket.end('late bytes');
    expect(await readToEnd(socket)).toBe('got: early bytes, late bytes');
    const event = await harness.nextEvent((e) => e.method === 'CONNECT');
    expect(event).toMatchObject({ kind: 'external', service: '127.0.0.1', instance: `127.0.0.1:${port}`, path: `127.0.0.1:${port}`, status: 200, error: null });
    expect(event.timings.firstByte).not.toBeNull();
  });

  it('answers a refused destination with 502, reject mode with 502 and a malformed target with 400', async () => {
    const port = await closedPort();
    const harness = await startProxy();
    const refused = await rawRequest(harness.port, `CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: application/json\r\n\r\n`);
    expect(statusOf(refused.text)).toBe(502);
    expect(JSON.parse(refused.text.split('\r\n\r\n')[1] ?? '')).toEqual({
      error: 'connection refused',
      status: 502,
      service: '127.0.0.1',
      instance: `127.0.0.1:${port}`,
    });
    harness.setMode('reject');
    const rejected = await rawRequest(harness.port, 'CONNECT elsewhere.example:443 HTTP/1.1\r\nHost: elsewhere.example:443\r\n\r\n');
    expect(statusOf(rejected.text)).toBe(502);
    expect(rejected.text).toMatch(/unknown service.*\(service elsewhere\.example\)/);
    const malformed = await rawRequest(harness.port, 'CONNECT no_port_here:x HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(statusOf(malformed.text)).toBe(400);
    const statuses = harness.events.filter((e) => e.method === 'CONNECT').map((e) => [e.kind, e.status]);
    expect(statuses).toEqual([
      ['external', 502],
      ['external', 502],
      ['proxy', 400],
    ]);
  });

  it('closes a tunnel that stays idle past the limit', async () => {
    const port = await startTcpCollector();
    const harness = await startProxy({ limits: { tunnelIdleTimeoutMs: 300 } });
    const { socket } = await connectThrough(harness.port, `127.0.0.1:${port}`);
    const ended = new Promise<void>((resolve) => socket.on('end', () => resolve()));
    socket.resume();
    await ended;
    expect((await harness.nextEvent((e) => e.method === 'CONNECT')).status).toBe(200);
  });
});
