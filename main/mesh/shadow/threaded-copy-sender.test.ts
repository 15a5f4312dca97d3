import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { SHADOW_HEADER } from '../../../shared/shadow.js';
import { listenUpstream } from '../testing/http-upstream.js';
import type { Comparison } from './shadow-request.js';
import { ThreadedCopySender } from './threaded-copy-sender.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function sender(timeoutMs = 5_000): ThreadedCopySender {
  const copies = new ThreadedCopySender({ captureBodyBytes: 1024, timeoutMs, connectionsPerInstance: 4 });
  cleanups.push(() => copies.close());
  return copies;
}

/** v1's answer, as the shadow sender hands it over with each copy. */
const PRIMARY: Comparison = {
  primary: {
    status: 200,
    error: null,
    headers: [
      ['content-type', 'application/json'],
      ['date', 'Mon, 07 Dec 2026 04:00:00 GMT'],
    ],
    body: new TextEncoder().encode(JSON.stringify({ user: { name: 'Ann', plan: 'free' } })),
    bodyTruncated: false,
  },
  ignoredHeaders: ['date'],
};

function answerAsV2(res: http.ServerResponse): void {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ user: { name: 'Ann', plan: 'pro' } }));
}

/** The nice value of one thread of this process, from /proc (field 19 of its stat line). */
function niceOf(threadId: number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${threadId}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe('shadow copies sent from a worker thread', () => {
  it('sends a copy to a real instance and hands back its answer, body as a Buffer', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const port = await listenUpstream((req, res) => {
      seen.push(req.headers);
      res.setHeader('x-version', 'v2');
      res.end(JSON.stringify({ path: req.url }));
    }, cleanups);
    const answer = await sender().send(`127.0.0.1:${port}`, {
      method: 'GET',
      path: '/users/7',
      headers: ['accept', 'application/json', 'x-meshdesk-caller', 'web'],
      body: null,
    });
    expect(answer).toMatchObject({ status: 200, error: null });
    expect(answer.headers).toEqual(expect.arrayContaining(['x-version', 'v2']));
    expect(Buffer.isBuffer(answer.body?.bytes)).toBe(true);
    expect(answer.body?.bytes.toString()).toBe('{"path":"/users/7"}');
    expect(seen[0]).toMatchObject({ accept: 'application/json', [SHADOW_HEADER]: '1' });
    expect(seen[0]?.['x-meshdesk-caller']).toBeUndefined();
  });

  it("compares the copy's answer with the primary's on the worker and hands back the differences", async () => {
    const port = await listenUpstream((_req, res) => answerAsV2(res), cleanups);
    const copies = sender();
    const copy = { method: 'GET', path: '/users/7', headers: [], body: null };
    const compared = await copies.send(`127.0.0.1:${port}`, copy, PRIMARY);
    expect(compared.differences).toEqual([{ field: 'body.user.plan', kind: 'changed', primary: '"free"', shadow: '"pro"' }]);
    // The primary's bytes were copied for the worker, not moved away from the caller's log.
    expect(new TextDecoder().decode(PRIMARY.primary.body ?? new Uint8Array())).toContain('"free"');
    expect((await copies.send(`127.0.0.1:${port}`, copy)).differences).toBeNull();
  });

  it.runIf(process.platform === 'linux')('runs at the lowest CPU priority, the rest of the process untouched', async () => {
    const copies = sender();
    const thread = await copies.copyThread();
    expect(thread.lowered).toBe(true);
    expect(thread.threadId).not.toBe(process.pid);
    expect(niceOf(thread.threadId ?? 0)).toBe(19);
    expect(niceOf(process.pid)).toBe(0);
  });

  it('hands the copies of one turn to the thread in one message, not one message each', async () => {
    const copies = new ThreadedCopySender(
      { captureBodyBytes: 1024, timeoutMs: 5_000, connectionsPerInstance: 4 },
      new URL('./testing/batch-counting-worker.ts', import.meta.url),
    );
    cleanups.push(() => copies.close());
    const copy = { method: 'GET', path: '/users/7', headers: ['accept', 'application/json'], body: null };
    const answers = await Promise.all(Array.from({ length: 12 }, () => copies.send('127.0.0.1:9', copy)));
    // Each answer's status is the number of copies that crossed with it.
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 12 }, () => 12));
  });

  it('answers a copy to a dead instance as failed', async () => {
    const port = await listenUpstream((_req, res) => res.end(), cleanups);
    await cleanups.pop()?.();
    const answer = await sender().send(`127.0.0.1:${port}`, { method: 'GET', path: '/', headers: [], body: null });
    expect(answer).toMatchObject({ status: 0, error: 'connection refused', body: null });
  });

  it('answers the copies in flight as failed when stopped, and a stopped sender starts afresh', async () => {
    let hung = 0;
    const port = await listenUpstream((req) => {
      hung += 1;
      cleanups.push(() => req.socket.destroy());
    }, cleanups);
    const copies = sender();
    const inFlight = copies.send(`127.0.0.1:${port}`, { method: 'GET', path: '/slow', headers: [], body: null });
    await expect.poll(() => hung).toBe(1);
    await copies.close();
    expect(await inFlight).toMatchObject({ status: 0, error: 'shadowing stopped' });

    const answering = await listenUpstream((_req, res) => res.end('back'), cleanups);
    const again = await copies.send(`127.0.0.1:${answering}`, { method: 'POST', path: '/', headers: [], body: new TextEncoder().encode('x') });
    expect(again.body?.bytes.toString()).toBe('back');
  });

  it('sends the copies from this thread when the worker cannot start, none lost', async () => {
    const port = await listenUpstream((_req, res) => res.end('answered'), cleanups);
    const copies = new ThreadedCopySender(
      { captureBodyBytes: 1024, timeoutMs: 5_000, connectionsPerInstance: 4 },
      new URL('./no-such-worker.js', import.meta.url),
    );
    cleanups.push(() => copies.close());
    const address = `127.0.0.1:${port}`;
    const first = [
      copies.send(address, { method: 'GET', path: '/1', headers: [], body: null }),
      copies.send(address, { method: 'GET', path: '/2', headers: [], body: null }),
    ];
    expect((await Promise.all(first)).map((answer) => answer.body?.bytes.toString())).toEqual(['answered', 'answered']);
    expect(await copies.copyThread()).toEqual({ threadId: null, lowered: false });
    expect((await copies.send(address, { method: 'GET', path: '/3', headers: [], body: null })).status).toBe(200);
  });

  it('compares on this thread when the worker cannot start', async () => {
    const port = await listenUpstream((_req, res) => answerAsV2(res), cleanups);
    const copies = new ThreadedCopySender(
      { captureBodyBytes: 1024, timeoutMs: 5_000, connectionsPerInstance: 4 },
      new URL('./no-such-worker.js', import.meta.url),
    );
    cleanups.push(() => copies.close());
    const compared = await copies.send(`127.0.0.1:${port}`, { method: 'GET', path: '/', headers: [], body: null }, PRIMARY);
    expect(compared.differences).toEqual([{ field: 'body.user.plan', kind: 'changed', primary: '"free"', shadow: '"pro"' }]);
  });
});
