/**
 * Child process of the real-mode graph benchmark: real traffic for every edge of the generated
 * mesh, through the mesh's proxy. Each edge (caller → service@version) gets its own rate; requests
 * go as a developer's service sends them with http_proxy exported (absolute-form `GET
 * http://svc-007/`), naming their caller (`x-meshdesk-caller`) and pinning the version with the
 * per-request override (`x-meshdesk-route: svc-007=v2`), so the mesh draws exactly the generated
 * edges whatever the routes say.
 *
 * Open loop: each edge's requests are due at rate × elapsed (with a random phase, so slow edges do
 * not all fire on the same tick), and a late timer catches up instead of losing requests. Past
 * `maxInFlight` outstanding requests a due request is counted as skipped, never queued, so an
 * overloaded machine shows up as a number. Protocol (IPC): receives a LoadPlan, runs until it
 * receives 'stop', waits for what is in flight (at most 10 s), sends its LoadResult.
 */
import { Pool } from 'undici';
import { exitWithParent } from './child.js';

export interface LoadEdge {
  caller: string;
  service: string;
  version: string;
  rps: number;
}

export interface LoadPlan {
  proxyUrl: string;
  edges: LoadEdge[];
  connections: number;
  maxInFlight: number;
}

export interface LoadResult {
  offeredRps: number;
  durationMs: number;
  sent: number;
  /** Due but not sent: the in-flight cap was reached. */
  skipped: number;
  /** 2xx answers. */
  ok: number;
  /** Non-2xx answers and transport errors. */
  failed: number;
  statuses: Record<string, number>;
  /** 2xx answers per second since the load started. */
  okPerSecond: number[];
  /** Skipped requests per second: when the proxy fell behind (startup, or a saturated machine). */
  skippedPerSecond: number[];
  maxInFlightSeen: number;
}

exitWithParent();
const plan = await new Promise<LoadPlan>((resolve) => process.once('message', (message) => resolve(message as LoadPlan)));
const pool = new Pool(plan.proxyUrl, { connections: plan.connections, pipelining: 1, keepAliveTimeout: 30_000 });
const requests = plan.edges.map((edge) => ({
  path: `http://${edge.service}/`,
  headers: { host: edge.service, 'x-meshdesk-caller': edge.caller, 'x-meshdesk-route': `${edge.service}=${edge.version}` },
  rps: edge.rps,
  phase: Math.random(),
  fired: 0,
}));
const result: LoadResult = {
  offeredRps: plan.edges.reduce((sum, edge) => sum + edge.rps, 0),
  durationMs: 0,
  sent: 0,
  skipped: 0,
  ok: 0,
  failed: 0,
  statuses: {},
  okPerSecond: [],
  skippedPerSecond: [],
  maxInFlightSeen: 0,
};
const started = performance.now();
let inFlight = 0;

function fire(request: (typeof requests)[number]): void {
  inFlight++;
  result.sent++;
  result.maxInFlightSeen = Math.max(result.maxInFlightSeen, inFlight);
  pool
    .request({ method: 'GET', path: request.path, headers: request.headers, headersTimeout: 15_000, bodyTimeout: 15_000 })
    .then(async (answer) => {
      count(String(answer.statusCode));
      await answer.body.dump();
      if (answer.statusCode >= 200 && answer.statusCode < 300) {
        result.ok++;
        const second = Math.floor((performance.now() - started) / 1000);
        result.okPerSecond[second] = (result.okPerSecond[second] ?? 0) + 1;
      } else result.failed++;
    })
    .catch((error: unknown) => {
      result.failed++;
      count(error instanceof Error ? ((error as { code?: string }).code ?? error.name) : 'error');
    })
    .finally(() => inFlight--);
}

function count(key: string): void {
  result.statuses[key] = (result.statuses[key] ?? 0) + 1;
}

const ticker = setInterval(() => {
  const elapsed = (performance.now() - started) / 1000;
  for (const request of requests) {
    const due = Math.floor(request.rps * elapsed + request.phase);
    while (request.fired < due) {
      request.fired++;
      if (inFlight < plan.maxInFlight) fire(request);
      else {
        result.skipped++;
        const second = Math.floor(elapsed);
        result.skippedPerSecond[second] = (result.skippedPerSecond[second] ?? 0) + 1;
      }
    }
  }
}, 5);

process.once('message', () => void finish());

async function finish(): Promise<void> {
  clearInterval(ticker);
  result.durationMs = Math.round(performance.now() - started);
  const deadline = performance.now() + 10_000;
  while (inFlight > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  // The last second may be short; holes (a second with nothing answered or skipped) count as 0.
  result.okPerSecond = Array.from(result.okPerSecond, (value) => value ?? 0);
  result.skippedPerSecond = Array.from(result.skippedPerSecond, (value) => value ?? 0);
  process.send?.(result, () => {
    void pool.destroy().finally(() => process.exit(0));
  });
}
