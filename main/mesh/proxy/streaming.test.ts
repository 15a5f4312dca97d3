/**
 * Streaming both ways without buffering: a chunked upload reaches the upstream piece by piece, an
 * SSE stream and a slow drip reach the client piece by piece, and response trailers survive. Each
 * test proves incrementality causally (the next piece is only sent once the previous one arrived
 * on the far side), not with timing thresholds.
 * Run: npx vitest run main/mesh/proxy/streaming.test.ts
 */
import http, { type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startProxy, startUpstream } from './testing/harness.js';

function signal(): { promise: Promise<void>; fire: () => void } {
  let fire = () => {};
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

function get(proxyPort: number, url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxyPort, path: url, agent: false }, resolve);
    req.on('error', reject);
    req.end();
  });
}

describe('streaming', () => {
  it('streams a chunked upload to the upstream as it is sent', async () => {
    const firstArrived = signal();
    const world = await startUpstream((req, res) => {
      let received = '';
      req.on('data', (chunk: Buffer) => {
        received += chunk.toString();
        if (received.includes('first')) firstArrived.fire();
      });
      req.on('end', () => res.end(`got ${received} chunked=${req.headers['transfer-encoding']}`));
    });
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const req = http.request({ host: '127.0.0.1', port: harness.port, method: 'POST', path: 'http://world/upload', agent: false });
    const response = once(req, 'response') as Promise<[IncomingMessage]>;
    req.write('first|');
    await firstArrived.promise; // the upstream holds the first piece while the client still has the rest
    req.end('second');
    const [res] = await response;
    let body = '';
    for await (const chunk of res) body += (chunk as Buffer).toString();
    expect(body).toBe('got first|second chunked=chunked');
  });

  it('delivers server-sent events as they happen', async () => {
    const clientGotFirst = signal();
    const world = await startUpstream(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: one\n\n');
      await clientGotFirst.promise;
      res.write('data: two\n\n');
      res.end();
    });
    const harness = await startProxy();
    harness.register({ events: [world.address] });
    const res = await get(harness.port, 'http://events/stream');
    expect(res.headers['content-type']).toBe('text/event-stream');
    const seen: string[] = [];
    for await (const chunk of res) {
      seen.push((chunk as Buffer).toString());
      if (seen.join('').includes('data: one') && seen.length === 1) clientGotFirst.fire();
    }
    expect(seen.join('')).toBe('data: one\n\ndata: two\n\n');
    expect(seen.length, 'two separate deliveries').toBeGreaterThanOrEqual(2);
  });

  it('passes a slow drip response on byte by byte', async () => {
    let delivered = signal();
    const world = await startUpstream(async (_req, res) => {
      res.writeHead(200, { 'content-length': '5' });
      for (const byte of 'drip!') {
        res.write(byte);
        await delivered.promise;
        delivered = signal();
      }
      res.end();
    });
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const res = await get(harness.port, 'http://world/drip');
    let body = '';
    for await (const chunk of res) {
      body += (chunk as Buffer).toString();
      delivered.fire();
    }
    expect(body).toBe('drip!');
  });

  it('preserves response trailers', async () => {
    const world = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', trailer: 'x-checksum' });
      res.write('body ');
      res.addTrailers({ 'x-checksum': 'abc123', 'x-other': 'also' });
      res.end('done');
    });
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const res = await get(harness.port, 'http://world/t');
    let body = '';
    for await (const chunk of res) body += (chunk as Buffer).toString();
    expect(body).toBe('body done');
    expect(res.trailers).toEqual({ 'x-checksum': 'abc123', 'x-other': 'also' });
  });
});
