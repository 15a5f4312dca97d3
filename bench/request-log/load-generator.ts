/**
 * The benchmark's load: an open-loop generator in its own process, sending GET requests through the
 * mesh's proxy as a developer's service does with http_proxy exported (absolute-form request line,
 * `GET http://bench/… HTTP/1.1`), at a fixed rate whatever the latency — a closed loop (wrk) would
 * slow down when the mesh does and hide exactly what this benchmark looks for.
 *
 * Requests are scheduled by due count (rate × elapsed), so a late timer catches up instead of
 * losing requests; past `maxInFlight` outstanding requests it stops sending and counts the requests
 * it could not send (`skipped`), so an overloaded mesh shows up as a number, not as a stall.
 * Usage: node load-generator.js <proxyUrl> <url> <rate/s> <seconds> <connections>
 * Prints one JSON line (LoadResult) when every request has finished.
 */
import { Pool } from 'undici';

export interface LoadResult {
  rate: number;
  seconds: number;
  sent: number;
  skipped: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  /** Requests sent in each second of the run. */
  perSecond: number[];
  durationMs: number;
}

const [proxyUrl = '', url = '', rateText = '5000', secondsText = '60', connectionsText = '64'] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
const connections = Number(connectionsText);
const maxInFlight = connections * 8;
const target = new URL(url);
const pool = new Pool(proxyUrl, { connections, pipelining: 1, keepAliveTimeout: 30_000 });

const result: LoadResult = { rate, seconds, sent: 0, skipped: 0, ok: 0, failed: 0, statuses: {}, perSecond: [], durationMs: 0 };
let inFlight = 0;
const started = performance.now();

function fire(): void {
  inFlight++;
  result.sent++;
  const second = Math.floor((performance.now() - started) / 1000);
  result.perSecond[second] = (result.perSecond[second] ?? 0) + 1;
  pool
    .request({ method: 'GET', path: `${url}?n=${result.sent}`, headers: { host: target.host }, headersTimeout: 30_000, bodyTimeout: 30_000 })
    .then(async (answer) => {
      result.statuses[answer.statusCode] = (result.statuses[answer.statusCode] ?? 0) + 1;
      if (answer.statusCode < 500) result.ok++;
      else result.failed++;
      await answer.body.dump();
    })
    .catch((error: unknown) => {
      result.failed++;
      const key = error instanceof Error ? error.constructor.name : 'error';
      result.statuses[key] = (result.statuses[key] ?? 0) + 1;
    })
    .finally(() => inFlight--);
}

const ticker = setInterval(() => {
  const elapsed = performance.now() - started;
  const due = Math.floor((rate * Math.min(elapsed, seconds * 1000)) / 1000);
  while (result.sent + result.skipped < due) {
    if (inFlight >= maxInFlight) result.skipped++;
    else fire();
  }
  if (elapsed >= seconds * 1000) {
    clearInterval(ticker);
    void finish();
  }
}, 5);

async function finish(): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (inFlight > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  result.durationMs = Math.round(performance.now() - started);
  await pool.close();
  console.log(JSON.stringify(result));
}
