/**
 * WebSocket upgrades through the proxy in both forms — Host header (the `ws` client aimed at the
 * proxy, Linkerd style) and absolute URI (undici's WebSocket through EnvHttpProxyAgent, as with
 * http_proxy) — carrying messages both ways, including unprompted server pushes and a 1 MB binary
 * message; an upstream that declines the upgrade, and a refused host, are answered properly.
 * Run: npx vitest run main/mesh/proxy/websocket.test.ts
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { EnvHttpProxyAgent, WebSocket as UndiciWebSocket } from 'undici';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startProxy, startUpstream } from './testing/harness.js';
import { rawRequest, statusOf } from './testing/raw-client.js';

/** A WebSocket echo server that also greets each client first, so both directions are exercised. */
async function startEchoServer(): Promise<{ address: string; hosts: string[] }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const hosts: string[] = [];
  server.on('connection', (socket, req) => {
    hosts.push(req.headers.host ?? '');
    socket.send('hello from upstream');
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  );
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, hosts };
}

describe('WebSocket upgrades', () => {
  it('proxies a Host-routed WebSocket both ways', async () => {
    const echo = await startEchoServer();
    const harness = await startProxy();
    harness.register({ chat: [echo.address] });
    const client = new WebSocket(`ws://127.0.0.1:${harness.port}/room`, { headers: { host: 'chat' } });
    const messages: string[] = [];
    client.on('message', (data) => messages.push(data.toString()));
    await once(client, 'open');
    client.send('ping');
    const big = Buffer.alloc(1024 * 1024, 7);
    client.send(big);
    await expect.poll(() => messages.length, { timeout: 10_000 }).toBe(3);
    expect(messages.slice(0, 2)).toEqual(['hello from upstream', 'ping']);
    expect(messages[2]).toBe(big.toString());
    client.close();
    const event = await harness.nextEvent((e) => e.status === 101);
    expect(event).toMatchObject({ kind: 'service', service: 'chat', instance: echo.address, method: 'GET', path: '/room', error: null });
    expect(event.bytesIn).toBeGreaterThan(1024 * 1024);
    expect(event.bytesOut).toBeGreaterThan(1024 * 1024);
    expect(echo.hosts).toEqual(['chat']);
  });

  it('proxies an absolute-URI WebSocket from an http_proxy client', async () => {
    const echo = await startEchoServer();
    const harness = await startProxy();
    harness.register({ chat: [echo.address] });
    const dispatcher = new EnvHttpProxyAgent({ httpProxy: harness.url, noProxy: '' });
    onTestFinished(() => dispatcher.close().catch(() => undefined));
    const client = new UndiciWebSocket('ws://chat.mesh/live', { dispatcher });
    const messages: string[] = [];
    client.addEventListener('message', (event) => messages.push(String(event.data)));
    await new Promise((resolve, reject) => {
      client.addEventListener('open', resolve);
      client.addEventListener('error', reject);
    });
    client.send('over http_proxy');
    await expect.poll(() => messages, { timeout: 10_000 }).toEqual(['hello from upstream', 'over http_proxy']);
    client.close();
    const event = await harness.nextEvent((e) => e.status === 101);
    expect(event).toMatchObject({ service: 'chat', path: '/live' });
    expect(echo.hosts).toEqual(['chat.mesh']);
  });

  it('relays an upstream that declines the upgrade, and refuses unknown hosts in reject mode', async () => {
    const plain = await startUpstream((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no sockets here');
    });
    const harness = await startProxy({ mode: 'reject' });
    harness.register({ plain: [plain.address] });
    const upgrade = (host: string) =>
      `GET http://${host}/ws HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
    const declined = await rawRequest(harness.port, upgrade('plain'));
    expect(statusOf(declined.text)).toBe(404);
    expect(declined.text).toMatch(/no sockets here$/);
    const refused = await rawRequest(harness.port, upgrade('unknown'));
    expect(statusOf(refused.text)).toBe(502);
    expect(refused.text).toMatch(/unknown service/);
    const events = [await harness.nextEvent((e) => e.status === 404), await harness.nextEvent((e) => e.status === 502)];
    expect(events.map((event) => event.kind)).toEqual(['service', 'external']);
  });
});
