/**
 * Either side going away mid-exchange: a client abort (mid-upload or mid-stream) cancels the
 * upstream request; an upstream that resets before answering gets a 502, one that dies mid-response
 * gets the client's connection cut (never a silently short body); the event says what happened, and
 * the proxy serves the next request.
 * Run: npx vitest run main/mesh/proxy/aborts.test.ts
 */
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { listenOn, startProxy, startUpstream } from './testing/harness.js';
import { proxyRequest, rawRequest, statusOf } from './testing/raw-client.js';

describe('aborts and resets', () => {
  it('a client abort mid-upload cancels the upstream request', async () => {
    let upstreamClosedEarly: () => void = () => {};
    const closedEarly = new Promise<void>((resolve) => (upstreamClosedEarly = resolve));
    let gotFirst: () => void = () => {};
    const firstPiece = new Promise<void>((resolve) => (gotFirst = resolve));
    const world = await startUpstream((req, res) => {
      req.once('data', () => gotFirst());
      req.on('close', () => {
        if (!req.complete) upstreamClosedEarly();
      });
      req.on('end', () => res.end('complete?!'));
    });
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const client = net.connect(harness.port, '127.0.0.1');
    client.on('error', () => {});
    client.write('POST http://world/upload HTTP/1.1\r\nHost: world\r\nContent-Length: 1000000\r\n\r\n');
    client.write(Buffer.alloc(10_000, 'x'));
    await firstPiece;
    client.destroy();
    await closedEarly;
    const event = await harness.nextEvent((e) => e.path === '/upload');
    expect(event).toMatchObject({ status: 0, error: 'client aborted', service: 'world' });
    expect((await proxyRequest(harness.port, `http://127.0.0.1:${world.port}/after`)).status).toBe(200);
  });

  it('a client leaving an endless stream cancels the upstream request', async () => {
    let upstreamClosed: () => void = () => {};
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const world = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => res.write('data: tick\n\n'), 10);
      res.on('close', () => {
        clearInterval(timer);
        upstreamClosed();
      });
    });
    const harness = await startProxy();
    harness.register({ ticks: [world.address] });
    const req = http.get({ host: '127.0.0.1', port: harness.port, path: 'http://ticks/', agent: false });
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    await once(res, 'data');
    req.destroy();
    await closed;
    const event = await harness.nextEvent((e) => e.service === 'ticks');
    expect(event).toMatchObject({ status: 200, error: 'client aborted' });
  });

  it('an upstream reset before the response is a 502 naming the instance', async () => {
    const resetter = net.createServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const port = await listenOn(resetter);
    const harness = await startProxy();
    harness.register({ flaky: [`127.0.0.1:${port}`] });
    const response = await proxyRequest(harness.port, 'http://flaky/', { headers: { accept: 'application/json' } });
    resetter.close();
    expect(response.status).toBe(502);
    expect(JSON.parse(response.body)).toMatchObject({ service: 'flaky', instance: `127.0.0.1:${port}`, error: expect.stringMatching(/reset|closed/) });
  });

  it('an upstream dying mid-response cuts the client connection and is reported', async () => {
    const world = await startUpstream((req, res) => {
      if (req.url === '/fine') {
        res.end('fine');
        return;
      }
      res.writeHead(200, { 'content-length': '1000' });
      res.write('only part of it');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const answer = await rawRequest(harness.port, 'GET http://world/dies HTTP/1.1\r\nHost: world\r\n\r\n');
    expect(statusOf(answer.text)).toBe(200);
    expect(answer.closed, 'the client must see the cut, not wait for the missing bytes').toBe(true);
    expect(answer.text.endsWith('only part of it')).toBe(true);
    const event = await harness.nextEvent((e) => e.path === '/dies');
    expect(event.error).toMatch(/after the response began/);
    expect((await proxyRequest(harness.port, 'http://world/fine')).body).toBe('fine');
  });

  it('an upstream dying mid-chunked-response leaves the chunked body unterminated', async () => {
    const world = await startUpstream((_req, res) => {
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const answer = await rawRequest(harness.port, 'GET http://world/ HTTP/1.1\r\nHost: world\r\n\r\n');
    expect(answer.closed).toBe(true);
    expect(answer.text).toMatch(/transfer-encoding: chunked/i);
    expect(answer.text).not.toMatch(/\r\n0\r\n\r\n$/);
  });
});
