// The guard's rule, pure: no judgement below the minimum, a breach on success rate or p99 with the
// reason the history shows, a pass when the period ends, and the p99 floor for fast baselines.
// Run: npx vitest run main/mesh/routing/route-guard.test.ts
import { describe, expect, it } from 'vitest';
import { routeGuardInputSchema, type GuardSample } from '../../../shared/routes.js';
import { judgeGuard, P99_FLOOR_MS, P99_MIN_REQUESTS } from './route-guard.js';

const thresholds = routeGuardInputSchema.parse({});
const baseline: GuardSample = { requests: 500, failures: 2, successRate: 0.996, p99Ms: 120 };

function sample(requests: number, failures: number, p99Ms = 100): GuardSample {
  return { requests, failures, successRate: requests === 0 ? null : (requests - failures) / requests, p99Ms: requests === 0 ? null : p99Ms };
}

describe('judgeGuard', () => {
  it('has the defaults of the issue: 60 s, 20 requests, 1 point, 2× p99', () => {
    expect(thresholds).toEqual({ forSeconds: 60, minRequests: 20, maxFailureRate: 1, maxP99Ratio: 2 });
  });

  it('never fires below the minimum of requests, however bad they are', () => {
    expect(judgeGuard({ thresholds, version: 'v2', baseline, observed: sample(19, 19), timeUp: false })).toEqual({ kind: 'watching' });
  });

  it('rolls back when the success rate falls more than the allowed points below the baseline', () => {
    expect(judgeGuard({ thresholds, version: 'v2', baseline, observed: sample(31, 6), timeUp: false })).toEqual({
      kind: 'breach',
      reason: 'rolled back by guard: success 80.6% < baseline 99.6% after 31 requests',
    });
    // 98.6% is exactly 1 point below 99.6%: allowed.
    expect(judgeGuard({ thresholds, version: 'v2', baseline, observed: sample(500, 7), timeUp: false }).kind).toBe('watching');
    expect(judgeGuard({ thresholds, version: 'v2', baseline, observed: sample(500, 8), timeUp: false }).kind).toBe('breach');
  });

  it('rolls back when p99 exceeds the ratio times the baseline, once enough requests make the p99 more than the slowest one', () => {
    expect(judgeGuard({ thresholds, version: 'v2', baseline, observed: sample(P99_MIN_REQUESTS, 0, 840), timeUp: false })).toEqual({
      kind: 'breach',
      reason: `rolled back by guard: p99 840 ms > 2× baseline 120 ms after ${P99_MIN_REQUESTS} requests`,
    });
    expect(judgeGuard({ thresholds, version: 'v2', baseline, observed: sample(P99_MIN_REQUESTS, 0, 239), timeUp: false }).kind).toBe('watching');
    // 25 requests: the p99 is the slowest of them (a new connection's first): success rate alone decides.
    expect(judgeGuard({ thresholds, version: 'v2', baseline, observed: sample(25, 0, 840), timeUp: false }).kind).toBe('watching');
  });

  it('counts a baseline p99 below the floor as the floor, so jitter on fast services does not fire', () => {
    const fast = { ...baseline, p99Ms: 1 };
    const enough = P99_MIN_REQUESTS;
    expect(judgeGuard({ thresholds, version: 'v2', baseline: fast, observed: sample(enough, 0, 2 * P99_FLOOR_MS - 1), timeUp: false }).kind).toBe('watching');
    expect(judgeGuard({ thresholds, version: 'v2', baseline: fast, observed: sample(enough, 0, 2 * P99_FLOOR_MS + 1), timeUp: false }).kind).toBe('breach');
  });

  it('without a baseline (no traffic before), compares with a version that never fails and skips p99', () => {
    const none: GuardSample = { requests: 0, failures: 0, successRate: null, p99Ms: null };
    expect(judgeGuard({ thresholds, version: 'v2', baseline: none, observed: sample(20, 20), timeUp: false })).toEqual({
      kind: 'breach',
      reason: 'rolled back by guard: success 0% < baseline 100% after 20 requests',
    });
    expect(judgeGuard({ thresholds, version: 'v2', baseline: none, observed: sample(20, 0, 5_000), timeUp: false }).kind).toBe('watching');
  });

  it('passes when the period ends without a breach, and says when it could not judge', () => {
    expect(judgeGuard({ thresholds, version: 'v2', baseline, observed: sample(40, 0, 90), timeUp: true })).toEqual({
      kind: 'passed',
      reason: 'passed: success 100% (baseline 99.6%), p99 90 ms (baseline 120 ms) over 40 requests',
    });
    expect(judgeGuard({ thresholds, version: 'v2', baseline, observed: sample(3, 3), timeUp: true })).toEqual({
      kind: 'passed',
      reason: 'not judged: only 3 requests reached v2 in 60 s (the guard needs 20)',
    });
  });
});
