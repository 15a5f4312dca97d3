// The threshold rules of instance health, on their own. Run: npx vitest run main/mesh/health/health-tracker.test.ts
import { describe, expect, it } from 'vitest';
import { HealthTracker } from './health-tracker.js';

const pass = { ok: true, reason: 'HTTP 200' };
const fail = { ok: false, reason: 'HTTP 500, expected 2xx' };

describe('HealthTracker', () => {
  it('does not flap on an isolated failure or pass', () => {
    const tracker = new HealthTracker('healthy', { healthyThreshold: 2, unhealthyThreshold: 3 });
    expect([fail, fail, pass, fail, fail].map((result) => tracker.record(result))).toEqual([null, null, null, null, null]);
    expect(tracker.record(fail)).toEqual({ to: 'failing', reason: 'HTTP 500, expected 2xx (3 failures in a row)' });
    expect([pass, fail, pass].map((result) => tracker.record(result))).toEqual([null, null, null]);
    expect(tracker.record(pass)).toEqual({ to: 'healthy', reason: 'HTTP 200 (2 passes in a row)' });
  });

  it('lets the first result decide an unchecked instance', () => {
    expect(new HealthTracker('unknown', { healthyThreshold: 5, unhealthyThreshold: 5 }).record(fail)).toEqual({
      to: 'failing',
      reason: 'HTTP 500, expected 2xx (first check)',
    });
  });
});
