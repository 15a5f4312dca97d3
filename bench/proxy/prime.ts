/**
 * Brings every row's process to its steady state before round 1 is measured. A Node proxy's first
 * seconds under load are spent compiling: V8's helper thread, which shares the one server core, took
 * 300, 220, 230, 110 and 30 ms of each of a Meshdesk child's first five seconds at 50 connections,
 * and about 10 ms a second after that (2026-12-07). With only the per-row warm-up (a second or two),
 * round 1 measured whichever Meshdesk row came first half-compiled: its one-connection p99 was the
 * round's highest in every run, and its req/s half the later rounds'.
 *
 * So each row runs unmeasured load, a second at a time, until its process's threads other than the
 * main one (V8's compiler and collector helpers, libuv's pool) used at most SETTLED_MS a second
 * twice in a row, or until the limit; then one second at one connection, the path the latency
 * figure takes. Processes without helper threads (nginx) settle at once. A Node process with V8's
 * default GC threads (bare undici, http-proxy) may keep them busy under load for good and so run to
 * the limit, which the report says.
 */
import { readdirSync } from 'node:fs';
import type { LoadGenerators } from './measure.js';
import { threadCpuMs } from './proc-stats.js';
import type { Row } from './rig.js';
import type { WrkResult } from './wrk.js';

/** Helper-thread CPU per second below which a process counts as compiled (2% of the second). */
const SETTLED_MS = 20;
/** Seconds in a row under SETTLED_MS. */
const SETTLED_SECONDS = 2;

export interface PrimeResult {
  id: string;
  /** Seconds of load it took (the one-connection second included), rounded. */
  seconds: number;
  settled: boolean;
  /** Helper-thread CPU (ms a second) in each step of load at many connections, for the JSON. */
  helperMsPerSecond: (number | null)[];
}

export async function primeRow(
  row: Row,
  generators: LoadGenerators,
  settings: { connections: number; maxSeconds: number; ticksPerSecond: number },
): Promise<PrimeResult> {
  const load = (connections: number): Promise<WrkResult> =>
    row.generator === 'wrk' ? generators.wrk.run(row.target, connections, 1) : generators.node.run(row.target, connections, 1);
  return { id: row.id, ...(await settleProcess(row.pid, load, settings)) };
}

/**
 * The loop itself, for any load generator (bench:grpc's h2load too): `load(connections)` runs a
 * second or more of load; the helper threads' CPU is counted per second of it.
 */
export async function settleProcess(
  pid: number,
  load: (connections: number) => Promise<unknown>,
  settings: { connections: number; maxSeconds: number; ticksPerSecond: number },
): Promise<Omit<PrimeResult, 'id'>> {
  const helperMsPerSecond: (number | null)[] = [];
  let elapsedSeconds = 0;
  let quiet = 0;
  while (elapsedSeconds < settings.maxSeconds && quiet < SETTLED_SECONDS) {
    const before = helperThreadsCpuMs(pid, settings.ticksPerSecond);
    const startedAt = performance.now();
    await load(settings.connections);
    const seconds = (performance.now() - startedAt) / 1000;
    const after = helperThreadsCpuMs(pid, settings.ticksPerSecond);
    const used = before === null || after === null ? null : (after - before) / Math.max(1, seconds);
    elapsedSeconds += seconds;
    helperMsPerSecond.push(used === null ? null : Math.round(used));
    // A process whose threads cannot be read (it is not ours to read) is loaded for the limit.
    quiet = used !== null && used <= SETTLED_MS ? quiet + 1 : 0;
  }
  const oneConnectionStart = performance.now();
  await load(1);
  elapsedSeconds += (performance.now() - oneConnectionStart) / 1000;
  return { seconds: Math.round(elapsedSeconds), settled: quiet >= SETTLED_SECONDS, helperMsPerSecond };
}

/** CPU time (ms) of every thread of the process but the main one; null when /proc cannot be read. */
export function helperThreadsCpuMs(pid: number, ticksPerSecond: number): number | null {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  let total = 0;
  for (const thread of threads) {
    if (thread === String(pid)) continue;
    // A thread that ended between the listing and the read simply stops counting.
    total += threadCpuMs(pid, Number(thread), ticksPerSecond) ?? 0;
  }
  return total;
}
