/**
 * The guard's rule, pure: given the baseline (the old version over the stats window before the
 * change), what the new version did since the change and the thresholds, is it still watching, has
 * it passed, or is it a breach, and in which words. Kept apart from the watcher (route-guards.ts) so
 * the one rule the history, the CLI and the dashboard show is tested without sockets or clocks.
 *
 * Two choices the README states:
 * - No judgement below `minRequests`: a guard never fires on too little traffic, and a watch that
 *   ends below the minimum passes with a reason saying it was not judged.
 * - A baseline p99 under P99_FLOOR_MS counts as P99_FLOOR_MS: on a laptop, single-digit-millisecond
 *   p99s jitter by more than 2× with no change in the code (a first connection, a GC pause), and a
 *   guard that rolls back a healthy version is worse than none.
 * - p99 is compared only once P99_MIN_REQUESTS reached the new version: of 20 requests the p99 is
 *   the slowest one, which after a reroute is a new connection's first request (a healthy demo v2
 *   was rolled back that way on a busy machine). Below that, the success rate alone decides.
 */
import type { GuardSample, RouteGuardThresholds } from '../../../shared/routes.js';

/** Baseline p99s below this many milliseconds count as this many. */
export const P99_FLOOR_MS = 25;
/** Requests the new version needs before its p99 is compared: enough for the p99 not to be the maximum. */
export const P99_MIN_REQUESTS = 100;

export type GuardVerdict = { kind: 'watching' } | { kind: 'breach'; reason: string } | { kind: 'passed'; reason: string };

export interface GuardFacts {
  thresholds: RouteGuardThresholds;
  version: string;
  baseline: GuardSample;
  observed: GuardSample;
  /** The watch period is over. */
  timeUp: boolean;
}

export function judgeGuard({ thresholds, version, baseline, observed, timeUp }: GuardFacts): GuardVerdict {
  const { requests } = observed;
  if (requests < thresholds.minRequests) {
    if (!timeUp) return { kind: 'watching' };
    return {
      kind: 'passed',
      reason: `not judged: only ${requests} request${requests === 1 ? '' : 's'} reached ${version} in ${formatSeconds(thresholds.forSeconds)} (the guard needs ${thresholds.minRequests})`,
    };
  }
  // With no traffic before the change there is nothing to compare with but a version that never fails.
  const baselineRate = baseline.successRate ?? 1;
  const observedRate = observed.successRate ?? 1;
  // Points compared in tenths of a per cent, so 99.6 − 1 is 98.6 and not 98.59999.
  if (Math.round(observedRate * 1000) < Math.round(baselineRate * 1000 - thresholds.maxFailureRate * 10)) {
    return {
      kind: 'breach',
      reason: `rolled back by guard: success ${formatPercent(observedRate)} < baseline ${formatPercent(baselineRate)} after ${requests} requests`,
    };
  }
  if (requests >= P99_MIN_REQUESTS && baseline.p99Ms !== null && observed.p99Ms !== null) {
    const allowed = Math.max(baseline.p99Ms, P99_FLOOR_MS) * thresholds.maxP99Ratio;
    if (observed.p99Ms > allowed) {
      return {
        kind: 'breach',
        reason: `rolled back by guard: p99 ${formatMs(observed.p99Ms)} > ${thresholds.maxP99Ratio}× baseline ${formatMs(baseline.p99Ms)} after ${requests} requests`,
      };
    }
  }
  if (!timeUp) return { kind: 'watching' };
  return {
    kind: 'passed',
    reason: `passed: success ${formatPercent(observedRate)} (baseline ${formatPercent(baselineRate)}), p99 ${formatMs(observed.p99Ms)} (baseline ${formatMs(baseline.p99Ms)}) over ${requests} requests`,
  };
}

/** 0.996 → `99.6%`, 0.82 → `82%`. */
export function formatPercent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function formatMs(ms: number | null): string {
  if (ms === null) return 'n/a';
  return `${ms < 10 ? Math.round(ms * 10) / 10 : Math.round(ms)} ms`;
}

function formatSeconds(seconds: number): string {
  return `${Math.round(seconds * 10) / 10} s`;
}
