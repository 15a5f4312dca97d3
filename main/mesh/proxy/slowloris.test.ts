/**
 * Slow and greedy clients: a crowd trickling its headers byte by byte must not starve normal
 * clients and is cut with 408 once the header deadline passes; the connection cap holds and frees
 * up again. Limits are shrunk so the suite stays fast; the mechanisms are the production ones.
 * Run: npx vitest run main/mesh/proxy/slowloris.test.ts
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { echoHandler, startProxy, startUpstream } from './testing/harness.js';
import { proxyRequest, statusOf } from './testing/raw-client.js';

interface Trickler {
  socket: net.Socket;
  received: string;
  closed: Promise<void>;
}

/** A client that sends its request line, then one header byte every `everyMs`, never finishing. */
function trickle(port: number, everyMs: number): Trickler {
  const socket = net.connect(port, '127.0.0.1');
  const trickler: Trickler = { socket, received: '', closed: Promise.resolve() };
  trickler.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => {});
  socket.on('data', (chunk: Buffer) => (trickler.received += chunk.toString('latin1')));
  socket.write('GET http://world/ HTTP/1.1\r\nHost: world\r\nX-Slow: ');
  const timer = setInterval(() => {
    if (socket.writable) socket.write('a');
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
  return trickler;
}

describe('slow and greedy clients', () => {
  it('a slowloris crowd does not starve normal clients and is cut with 408', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy({ limits: { headersTimeoutMs: 2_000, timeoutCheckIntervalMs: 250 } });
    harness.register({ world: [world.address] });
    const crowd = Array.from({ length: 200 }, () => trickle(harness.port, 100));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // While the whole crowd holds its connections open, normal clients are served.
    for (let i = 0; i < 10; i++) {
      const response = await proxyRequest(harness.port, `http://world/normal-${i}`);
      expect(response.status).toBe(200);
    }
    expect(crowd.filter((client) => client.socket.destroyed)).toHaveLength(0);
    // Past the header deadline every slow client has been answered 408 and disconnected.
    await Promise.all(crowd.map((client) => client.closed));
    for (const client of crowd) {
      expect(statusOf(client.received)).toBe(408);
      expect(client.received).toMatch(/request headers not received in time/);
    }
    expect(world.requests.map((req) => req.url)).not.toContain('/');
    expect((await proxyRequest(harness.port, 'http://world/after')).status).toBe(200);
  });

  it('closes silent, idle and stalled connections', async () => {
    let upstreamSawAbort: () => void = () => {};
    const aborted = new Promise<void>((resolve) => (upstreamSawAbort = resolve));
    const world = await startUpstream((req, res) => {
      req.on('close', () => {
        if (!req.complete) upstreamSawAbort();
      });
      req.on('end', () => res.end('ok'));
      req.resume();
    });
    const harness = await startProxy({ limits: { headersTimeoutMs: 600, timeoutCheckIntervalMs: 100, keepAliveTimeoutMs: 300, idleTimeoutMs: 600 } });
    harness.register({ world: [world.address] });
    const closedAfter = (payload: string) =>
      new Promise<string>((resolve) => {
        const socket = net.connect(harness.port, '127.0.0.1', () => socket.write(payload));
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('error', () => {});
        socket.on('close', () => resolve(text));
      });
    // Connects and never sends a byte: cut by whichever deadline passes first (408, or silently).
    const silent = closedAfter('');
    // One complete request, then idle: cut after the keep-alive timeout, having been answered.
    const idle = closedAfter('GET http://world/ HTTP/1.1\r\nHost: world\r\n\r\n');
    // Headers, a little of the promised body, then nothing: cut after the idle timeout.
    const stalled = closedAfter('POST http://world/up HTTP/1.1\r\nHost: world\r\nContent-Length: 1000\r\n\r\nonly ten b');
    expect([0, 408]).toContain(statusOf(await silent));
    expect(statusOf(await idle)).toBe(200);
    await stalled;
    await aborted;
    expect((await proxyRequest(harness.port, 'http://world/')).status).toBe(200);
  });

  it('holds at most maxConnections client connections, and frees slots as they close', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy({ limits: { maxConnections: 20 } });
    harness.register({ world: [world.address] });
    const holders = await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(harness.port, '127.0.0.1', () => resolve(socket));
            socket.on('error', () => {});
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    // One more is accepted by the kernel and closed by the proxy at once, unanswered.
    await expect(proxyRequest(harness.port, 'http://world/over-the-cap')).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(world.requests).toHaveLength(0);
    for (const socket of holders) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await proxyRequest(harness.port, 'http://world/freed')).status).toBe(200);
  });
});
