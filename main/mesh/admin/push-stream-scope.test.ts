/**
 * The push stream's per-subscriber filter and its serialise-once request rows: a client that asked
 * for no request events gets state only, a client that asked for them gets both in one batch that
 * parses with the contract's schema (non-Latin-1 text included), and a burst past the batch's bound
 * is cut at the newest rows and counted as dropped. A real PushStream behind a real HTTP server,
 * read over sockets.
 * Run: npx vitest run main/mesh/admin/push-stream-scope.test.ts
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../../shared/events.js';
import { parsePushBatch, PUSH_REQUESTS_PARAM, pushRequestsScopeSchema, SSE_EVENT, type PushBatch } from '../../../shared/push.js';
import { JsonRows } from './json-rows.js';
import { PushStream } from './push-stream.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function event(id: number, path = `/r/${id}`): RequestEvent {
  return {
    id,
    kind: 'service',
    caller: 'shell',
    service: 'world',
    version: 'v1',
    instance: '127.0.0.1:7002',
    method: 'GET',
    path,
    status: 200,
    startedAt: 1_700_000_000_000,
    timings: { dispatched: 0.1, firstByte: 1.5, end: 2 },
    bytesIn: 0,
    bytesOut: 12,
    error: null,
    attempts: [{ instance: '127.0.0.1:7002', status: 200, error: null, ms: 1.9 }],
    retries: 0,
    flags: [],
    decision: [{ step: 'version', choice: 'v1', reason: 'only version' }],
    failed: false,
  };
}

async function startStream(): Promise<{ push: PushStream; url: string }> {
  const push = new PushStream();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://push');
    push.attach(res, [{ kind: 'services', services: [] }], { requests: pushRequestsScopeSchema.parse(url.searchParams.get(PUSH_REQUESTS_PARAM) ?? 'full') });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        push.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { push, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** Reads batches until `count` have come, each parsed with the contract's schema. */
function readBatches(url: string, count: number): { opened: Promise<void>; batches: Promise<PushBatch[]> } {
  let opened: () => void = () => undefined;
  const open = new Promise<void>((resolve) => (opened = resolve));
  const batches = new Promise<PushBatch[]>((resolve, reject) => {
    const got: PushBatch[] = [];
    const req = http.get(url, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (!message.includes(`event: ${SSE_EVENT}`) || !data) continue;
          got.push(parsePushBatch(data));
          if (got.length === 1) opened();
          if (got.length === count) {
            req.destroy();
            resolve(got);
          }
        }
      });
    });
    req.on('error', (error) => (got.length === count ? undefined : reject(error)));
  });
  return { opened: open, batches };
}

describe('push stream filters per subscriber', () => {
  it('sends request events only to clients that asked for them, in the form asked, state to all', async () => {
    const { push, url } = await startStream();
    const all = readBatches(url, 2);
    const rows = readBatches(`${url}?${PUSH_REQUESTS_PARAM}=rows`, 2);
    const stateOnly = readBatches(`${url}?${PUSH_REQUESTS_PARAM}=none`, 2);
    await Promise.all([all.opened, rows.opened, stateOnly.opened]);
    push.publish({ kind: 'request', event: event(1) });
    push.publish({ kind: 'request', event: event(2, '/naïve/日本/emoji-🙂') });
    push.publish({ kind: 'services', services: [{ name: 'world', versions: [] }] });
    const [withRequests, withRows, withoutRequests] = await Promise.all([all.batches, rows.batches, stateOnly.batches]);
    expect(withRequests[1]?.items).toEqual([
      { kind: 'services', services: [{ name: 'world', versions: [] }] },
      { kind: 'request', event: event(1) },
      { kind: 'request', event: event(2, '/naïve/日本/emoji-🙂') },
    ]);
    const { attempts: _attempts, decision: _decision, ...row } = event(1);
    expect(withRows[1]?.items[1]).toEqual({ kind: 'request', event: row });
    expect(withRows[1]?.items).toHaveLength(3);
    expect(withoutRequests[1]).toEqual({ seq: 2, items: [{ kind: 'services', services: [{ name: 'world', versions: [] }] }], dropped: 0 });
  });

  it('publishes nothing while no client wants request events', async () => {
    const { push, url } = await startStream();
    const stateOnly = readBatches(`${url}?${PUSH_REQUESTS_PARAM}=none`, 2);
    await stateOnly.opened;
    for (let id = 1; id <= 10; id++) push.publish({ kind: 'request', event: event(id) });
    push.publish({ kind: 'routes', routes: [] });
    const batches = await stateOnly.batches;
    expect(batches[1]).toEqual({ seq: 2, items: [{ kind: 'routes', routes: [] }], dropped: 0 });
  });
});

describe('JsonRows', () => {
  it('keeps rows in order as one JSON list and counts what is past its bound', () => {
    const rows = new JsonRows({ maxRows: 3, maxBytes: 1024 * 1024 });
    for (let id = 1; id <= 5; id++) rows.append('{"n":', String(id), '}');
    const taken = rows.take();
    expect(JSON.parse(`[${taken.bytes.toString('utf8')}]`)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(taken).toMatchObject({ rows: 3, dropped: 2 });
    expect(rows.take()).toMatchObject({ rows: 0, dropped: 0 });
  });

  it('grows past its first buffer up to its byte bound', () => {
    const rows = new JsonRows({ maxRows: 10_000, maxBytes: 256 * 1024 });
    const big = JSON.stringify('x'.repeat(10_000));
    for (let i = 0; i < 40; i++) rows.append('', big, '');
    const taken = rows.take();
    expect(taken.rows).toBeGreaterThan(6);
    expect(taken.rows + taken.dropped).toBe(40);
    expect(JSON.parse(`[${taken.bytes.toString('utf8')}]`)).toHaveLength(taken.rows);
  });

  it('keeps the buffer it grew to while the batches stay large, and gives it back after a small one', () => {
    const rows = new JsonRows({ maxRows: 100_000, maxBytes: 4 * 1024 * 1024 });
    const row = JSON.stringify({ path: '/users/7', status: 200, pad: 'x'.repeat(300) });
    const batch = (count: number) => {
      for (let i = 0; i < count; i++) rows.append('', row, '');
      return rows.take();
    };
    batch(1_500);
    const grown = rows.capacity;
    expect(grown).toBeGreaterThan(256 * 1024);
    for (let i = 0; i < 3; i++) expect(batch(1_500).rows).toBe(1_500);
    expect(rows.capacity).toBe(grown);
    batch(10);
    expect(rows.capacity).toBeLessThan(grown);
    expect(JSON.parse(`[${batch(3).bytes.toString('utf8')}]`)).toHaveLength(3);
  });
});
