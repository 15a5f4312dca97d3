/**
 * Request events: one per exchange of every kind (plain, refused, CONNECT, upgrade, unparseable),
 * with caller, target, status, ordered timings and sizes; nothing is built when nobody listens; a
 * listener that throws breaks nothing.
 * Run: npx vitest run main/mesh/proxy/request-events.test.ts
 */
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import type { ProxiedExchange } from '../../../shared/events.js';
import { echoHandler, startProxy, startUpstream } from './testing/harness.js';
import { proxyRequest, rawRequest } from './testing/raw-client.js';

describe('request events', () => {
  it('describe a proxied request completely', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    // The clock the mesh stamps events with; the wall clock can drift from it by milliseconds.
    const clock = () => performance.timeOrigin + performance.now();
    const before = clock();
    await proxyRequest(harness.port, 'http://world/e?q=1', { method: 'POST', body: 'x'.repeat(1000), headers: { 'x-meshdesk-caller': 'Hello' } });
    await proxyRequest(harness.port, 'http://world/e2', { headers: { 'proxy-authorization': `Basic ${Buffer.from('billing:').toString('base64')}` } });
    await proxyRequest(harness.port, 'http://world/e3');
    const [first, second, third] = harness.events as [ProxiedExchange, ProxiedExchange, ProxiedExchange];
    expect(harness.events).toHaveLength(3);
    expect(first).toMatchObject({
      kind: 'service',
      caller: 'hello',
      service: 'world',
      version: 'v1',
      instance: world.address,
      method: 'POST',
      path: '/e?q=1',
      status: 200,
      error: null,
    });
    expect(first.startedAt).toBeGreaterThanOrEqual(before - 1);
    expect(first.startedAt).toBeLessThanOrEqual(clock() + 1);
    const { dispatched, connected, firstByte, end } = first.timings;
    expect(dispatched).not.toBeNull();
    // Handed to the upstream pool, then taken by a connection (here one opened for it), then answered.
    expect(connected).toBeGreaterThanOrEqual(dispatched ?? Infinity);
    expect(firstByte).toBeGreaterThanOrEqual(connected ?? Infinity);
    expect(end).toBeGreaterThanOrEqual(firstByte ?? Infinity);
    expect(first.bytesIn).toBe(1000);
    expect(first.bytesOut).toBe(Buffer.byteLength(`world POST /e?q=1 ${'x'.repeat(1000)}`));
    expect(second.caller).toBe('billing');
    expect(third.caller).toBe('shell');
    expect(new Set(harness.events.map((event) => event.id)).size).toBe(3);
  });

  it('are emitted once for every kind of exchange', async () => {
    const world = await startUpstream(echoHandler('world'));
    const sockets = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(sockets, 'listening');
    sockets.on('connection', (socket) => socket.close());
    const harness = await startProxy({ mode: 'reject' });
    harness.register({ world: [world.address], chat: [`127.0.0.1:${(sockets.address() as AddressInfo).port}`] });
    await proxyRequest(harness.port, 'http://world/plain');
    await proxyRequest(harness.port, 'http://unknown/refused');
    await rawRequest(harness.port, 'CONNECT unknown:443 HTTP/1.1\r\nHost: unknown:443\r\n\r\n');
    const client = new WebSocket(`ws://127.0.0.1:${harness.port}/ws`, { headers: { host: 'chat' } });
    await once(client, 'close');
    sockets.close();
    await rawRequest(harness.port, 'NOT HTTP\r\n\r\n');
    await harness.nextEvent((event) => event.kind === 'proxy');
    expect(harness.events.map((event) => [event.kind, event.method, event.status])).toEqual([
      ['service', 'GET', 200],
      ['external', 'GET', 502],
      ['external', 'CONNECT', 502],
      ['service', 'GET', 101],
      ['proxy', '', 400],
    ]);
  });

  it('cost nothing when nobody listens, and a throwing listener breaks nothing', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy({ listen: false });
    harness.register({ world: [world.address] });
    expect((await proxyRequest(harness.port, 'http://world/unheard')).status).toBe(200);
    const ids: number[] = [];
    harness.bus.subscribe(() => {
      throw new Error('listener bug');
    });
    harness.bus.subscribe((event) => ids.push(event.id));
    expect((await proxyRequest(harness.port, 'http://world/heard')).status).toBe(200);
    expect(ids, 'no id was spent (no event built) while nobody listened').toEqual([1]);
  });
});
