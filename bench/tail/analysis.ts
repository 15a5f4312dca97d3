/**
 * Matches a sequential client's requests with the proxy's garbage collections: how often the proxy
 * collects, and how many of the slowest requests (at or above the p99) were waiting while it did.
 */
import type { GcRecord } from './gc-recorder.js';

export interface TailAnalysis {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  youngCollections: number;
  fullCollections: number;
  /** Requests per young collection over the measured window. */
  requestsPerYoung: number | null;
  youngPauseMedianMs: number | null;
  /** Requests at or above the p99. */
  slow: number;
  /** Of those, requests during which a collection ran. */
  slowDuringGc: number;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] ?? 0;
}

export function analyze(starts: readonly number[], latencies: readonly number[], collections: readonly GcRecord[]): TailAnalysis {
  const sorted = [...latencies].sort((a, b) => a - b);
  const p99 = quantile(sorted, 0.99);
  const first = starts[0] ?? 0;
  const last = (starts.at(-1) ?? 0) + (latencies.at(-1) ?? 0);
  const inWindow = collections.filter(([start, duration]) => start + duration >= first && start <= last);
  const young = inWindow.filter((gc) => gc[2] === 'young');
  let slow = 0;
  let slowDuringGc = 0;
  // Both lists are in time order: one pass with a moving start index.
  let from = 0;
  for (let i = 0; i < latencies.length; i++) {
    const latency = latencies[i] as number;
    if (latency < p99) continue;
    slow++;
    const start = starts[i] as number;
    const endedBefore = (gc: GcRecord | undefined) => gc !== undefined && gc[0] + gc[1] < start;
    while (endedBefore(inWindow[from])) from++;
    // The first collection that had not ended when the request was sent: did it start before the answer?
    const next = inWindow[from];
    if (next !== undefined && next[0] < start + latency) slowDuringGc++;
  }
  const pauses = young.map((gc) => gc[1]).sort((a, b) => a - b);
  return {
    requests: latencies.length,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: p99,
    youngCollections: young.length,
    fullCollections: inWindow.filter((gc) => gc[2] === 'full').length,
    requestsPerYoung: young.length > 0 ? latencies.length / young.length : null,
    youngPauseMedianMs: pauses.length > 0 ? quantile(pauses, 0.5) : null,
    slow,
    slowDuringGc,
  };
}
