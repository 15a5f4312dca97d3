/**
 * The benchmark's load: an open-loop generator in its own process (pinned to the load core), sending
 * GET requests through the mesh's proxy the way a service with http_proxy exported does
 * (absolute-form request line, `GET http://world/users/7 HTTP/1.1`, kept-alive connections, undici).
 *
 * Open loop, because the question is what the caller waits: request i is due at start + i / rate
 * whatever happened to the previous ones, and its latency runs from that due time to the last byte
 * of its answer, so time spent queued (in the generator, in undici, in the proxy) is counted. A
 * closed loop (wrk) sends the next request only after an answer and slows down with the proxy,
 * hiding exactly that (coordinated omission).
 *
 * Why it spins: with a timer the due times would be rounded to the timer's millisecond tick, adding
 * up to a millisecond of made-up latency to every request, more than the proxy's own. Instead the
 * loop goes round with setImmediate, so it sends within microseconds of each due time and still
 * reads every answer as it comes; it has a core of its own to spin on. How late requests left
 * (`sendLag`) is reported so that a generator that fell behind shows.
 *
 * Usage: node open-loop-load.js <proxyUrl> <rate/s> <warmupSeconds> <seconds> <connections>
 * Prints one JSON line (LoadResult) once every request has been answered or failed.
 */
import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { Pool } from 'undici';
import { newLatencyHistogram, percentilesMs } from './latency.js';
import type { LoadResult } from './load-result.js';

/** Answers slower than this fail (and are counted): a stalled proxy should end the run, not hang it. */
const REQUEST_TIMEOUT_MS = 10_000;
/** The service's ids the requests cycle through: one endpoint, `GET /users/{id}`, in the mesh's diffs. */
const USER_IDS = 100;

async function run(proxyUrl: string, rate: number, warmupSeconds: number, seconds: number, connections: number): Promise<LoadResult> {
  const pool = new Pool(proxyUrl, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const latency = newLatencyHistogram();
  const sendLag = newLatencyHistogram();
  const total = Math.round(rate * (warmupSeconds + seconds));
  const firstMeasured = Math.round(rate * warmupSeconds);
  const result = { sent: 0, ok: 0, failed: 0, statuses: {} as Record<string, number> };
  let next = 0;
  let settled = 0;
  const started = performance.now();
  const dueAt = (index: number) => started + (index * 1_000) / rate;

  const send = (index: number) => {
    const due = dueAt(index);
    const measured = index >= firstMeasured;
    if (measured) {
      result.sent++;
      sendLag.recordValue(Math.max(1, Math.round((performance.now() - due) * 1_000)));
    }
    const id = index % USER_IDS;
    const count = (key: string, ok: boolean) => {
      settled++;
      if (!measured) return;
      result.statuses[key] = (result.statuses[key] ?? 0) + 1;
      if (ok) {
        result.ok++;
        latency.recordValue(Math.max(1, Math.round((performance.now() - due) * 1_000)));
      } else result.failed++;
    };
    pool
      .request({
        method: 'GET',
        path: `http://world/users/${id}`,
        headers: { host: 'world' },
        headersTimeout: REQUEST_TIMEOUT_MS,
        bodyTimeout: REQUEST_TIMEOUT_MS,
      })
      .then(async (answer) => {
        await answer.body.dump({ limit: 1 << 20 });
        count(String(answer.statusCode), answer.statusCode < 400);
      })
      .catch((error: unknown) => count(error instanceof Error ? error.constructor.name : 'error', false));
  };

  await new Promise<void>((resolve) => {
    const spin = () => {
      const now = performance.now();
      while (next < total && dueAt(next) <= now) send(next++);
      if (settled >= total) resolve();
      else setImmediate(spin);
    };
    spin();
  });
  await pool.close();
  return {
    rate,
    seconds,
    ...result,
    achievedRate: Math.round((result.sent / seconds) * 10) / 10,
    latencyMs: percentilesMs(latency),
    histogram: encodeIntoCompressedBase64(latency),
    sendLagMs: percentilesMs(sendLag),
  };
}

const [proxyUrl = '', rate = '1000', warmup = '2', seconds = '20', connections = '64'] = process.argv.slice(2);
if (proxyUrl) console.log(JSON.stringify(await run(proxyUrl, Number(rate), Number(warmup), Number(seconds), Number(connections))));
