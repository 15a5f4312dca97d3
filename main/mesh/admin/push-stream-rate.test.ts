// The push stream of a real Mesh under a steady stream of real requests: at most one batch per
// 100 ms (PUSH_INTERVAL_MS), and every request's event in exactly one batch, none dropped.
// The SSE client is a separate Node process, so the arrival times it records come from an event
// loop the mesh and the load generator do not share.
// Run with `npx vitest run main/mesh/admin/push-stream-rate.test.ts`.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { PUSH_INTERVAL_MS } from '../../../shared/push.js';
import { proxyClient } from '../telemetry/testing/send.js';
import { answering, listenUpstream } from '../testing/http-upstream.js';
import { startTestMesh } from '../testing/test-mesh.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Reads the SSE stream and prints one JSON line per message: first the response's status and
 * type, then per `event:` message the time its first byte was read (`at`, this process's clock),
 * the last time before that the reader's loop was seen running (`awake`: a 5 ms ticker), its event
 * name, seq, dropped count and the paths of the request events it carried. The bytes cannot have
 * arrived before `awake` (an idle loop reads them at once), so they arrived within [awake, at].
 */
const READER_SOURCE = String.raw`
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const print = (value) => process.stdout.write(JSON.stringify(value) + '\n');
let lastTick = performance.now();
setInterval(() => (lastTick = performance.now()), 5);
http.get(process.env.EVENTS_URL, { headers: { authorization: 'Bearer ' + process.env.TOKEN } }, (res) => {
  print({ status: res.statusCode, type: res.headers['content-type'] });
  res.setEncoding('utf8');
  let buffer = '';
  let startedAt = 0;
  let awake = 0;
  res.on('data', (chunk) => {
    const now = performance.now();
    if (buffer.length === 0) [startedAt, awake] = [now, lastTick];
    buffer += chunk;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(message);
      const data = /^data: (.*)$/m.exec(message);
      if (event && data) {
        const batch = JSON.parse(data[1]);
        const paths = batch.items.filter((item) => item.kind === 'request').map((item) => item.event.path);
        print({ at: startedAt, awake, event: event[1], seq: batch.seq, dropped: batch.dropped, paths });
      }
      // What is left of the buffer arrived with this chunk.
      if (buffer.length > 0) [startedAt, awake] = [now, lastTick];
    }
  });
}).on('error', (error) => print({ error: error.message }));
`;

interface Batch {
  at: number;
  awake: number;
  event: string;
  seq: number;
  dropped: number;
  paths: string[];
}

describe('the push stream of a real mesh', () => {
  it('sends at most one batch per 100 ms under steady traffic, with every request event exactly once', async () => {
    const world = await listenUpstream(answering('world'), cleanups);
    const yaml = `services:\n  world:\n    instances: [127.0.0.1:${world}]\n`;
    const { adminUrl, proxyPort } = (await startTestMesh({ yaml, adminToken: 'secret', cleanups })).addresses;

    const reader = spawn(process.execPath, ['-e', READER_SOURCE], { env: { ...process.env, EVENTS_URL: `${adminUrl}/api/events`, TOKEN: 'secret' } });
    const exited = new Promise<void>((resolve) => reader.once('exit', () => resolve()));
    cleanups.push(async () => {
      if (reader.exitCode === null && reader.signalCode === null) reader.kill('SIGKILL');
      await exited;
    });
    let stderr = '';
    reader.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines: unknown[] = [];
    createInterface({ input: reader.stdout }).on('line', (line) => lines.push(JSON.parse(line)));
    const batches = () => lines.slice(1) as Batch[];
    // Subscribed once the initial state has arrived.
    await expect.poll(() => batches().length, { timeout: 5_000, message: stderr }).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toEqual({ status: 200, type: 'text/event-stream; charset=utf-8' });

    // A steady stream of real requests for 1.5 s, each with a path of its own.
    const send = proxyClient(proxyPort);
    const sent: string[] = [];
    const loadStart = performance.now();
    while (performance.now() - loadStart < 1_500) {
      const pathname = `/r${sent.length}`;
      sent.push(pathname);
      expect((await send(`http://world${pathname}`, { 'x-meshdesk-caller': 'load' })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    const pushed = () => batches().flatMap((batch) => batch.paths);
    await expect.poll(() => pushed().length, { timeout: 5_000 }).toBeGreaterThanOrEqual(sent.length);
    // One interval more: a duplicate sent late would have arrived by now.
    await new Promise((resolve) => setTimeout(resolve, 3 * PUSH_INTERVAL_MS));

    const all = batches();
    expect(all.every((batch) => batch.event === 'batch')).toBe(true);
    expect(all.map((batch) => batch.seq)).toEqual(all.map((_batch, index) => index + 1));
    expect(all.every((batch) => batch.dropped === 0)).toBe(true);
    // Every request's event exactly once, in the order the requests were sent (one at a time).
    expect(pushed()).toEqual(sent);
    expect(sent.length).toBeGreaterThan(50);

    // The load lasted 1.5 s, so batching was exercised many times over, not once or twice.
    expect(all.length).toBeGreaterThanOrEqual(10);
    // The mesh writes a batch when a 100 ms timer fires, started by the first item queued after the
    // previous batch, so consecutive writes are >= 100 ms apart on its clock, less the timer slack:
    // Node's timer clock is millisecond-truncated, so a timer may fire up to ~1 ms early. What the
    // reader sees can look shorter still when it was itself descheduled (a loaded machine): it read
    // batch N late, and N+1 on time. So each gap is measured at its widest, from the earliest batch
    // N can have arrived (`awake`) to when N+1 was read, and must be at least 90 ms: 10 ms for the
    // slack above and scheduling noise. A stream sending a batch per request, or every 50 ms, fails.
    const gaps = all.slice(1).map((batch, index) => batch.at - (all[index] as Batch).awake);
    const seen = all.slice(1).map((batch, index) => batch.at - (all[index] as Batch).at);
    const report = `widest gaps (ms): ${gaps.map((gap) => gap.toFixed(1)).join(', ')}; read gaps: ${seen.map((gap) => gap.toFixed(1)).join(', ')}`;
    expect(Math.min(...gaps), report).toBeGreaterThanOrEqual(PUSH_INTERVAL_MS - 10);
    // And the widening is small as a rule (the ticker ran): the bound is not vacuous.
    const widening = all.map((batch) => batch.at - batch.awake).sort((a, b) => a - b);
    expect(widening[Math.floor(widening.length / 2)], report).toBeLessThan(10);
  });
});
