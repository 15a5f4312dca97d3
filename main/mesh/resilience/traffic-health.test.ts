/**
 * The rule of health from traffic on a clock the test steps: streaks, the recent window's share and
 * how it ages, and the idle period. The proxy-level behaviour is in proxy/traffic-health.test.ts.
 * Run: npx vitest run main/mesh/resilience/traffic-health.test.ts
 */
import { describe, expect, it } from 'vitest';
import { TRAFFIC_IDLE_MS, TrafficRecord } from './traffic-health.js';

/** A record whose first outcome is at t = 100 s (the proxy's clock is performance.now()). */
const T0 = 100_000;

describe('TrafficRecord', () => {
  it('is unknown before any outcome, healthy after a success, failing after three failures in a row', () => {
    const record = new TrafficRecord();
    expect(record.verdict(T0).state).toBe('unknown');
    record.note(true, '', T0);
    expect(record.verdict(T0)).toMatchObject({ state: 'healthy', reason: null });
    record.note(false, 'HTTP 503', T0 + 1);
    record.note(false, 'HTTP 503', T0 + 2);
    expect(record.verdict(T0 + 2).state).toBe('healthy');
    record.note(false, 'upstream reset the connection', T0 + 3);
    expect(record.verdict(T0 + 3)).toMatchObject({ state: 'failing', reason: 'upstream reset the connection' });
  });

  it('is failing after a single failure when nothing recent succeeded', () => {
    const record = new TrafficRecord();
    record.note(false, 'connection refused', T0);
    expect(record.verdict(T0)).toMatchObject({ state: 'failing', reason: 'connection refused' });
  });

  it('forgets old successes: a failure after 20 s of quiet counts alone', () => {
    const record = new TrafficRecord();
    for (let i = 0; i < 10; i++) record.note(true, '', T0 + i);
    record.note(false, 'HTTP 502', T0 + 25_000);
    expect(record.verdict(T0 + 25_000)).toMatchObject({ state: 'failing', reason: 'HTTP 502' });
  });

  it('is unknown again after the idle period, with a reason that does not change while it lasts', () => {
    const record = new TrafficRecord();
    record.note(false, 'connection refused', T0);
    const idle = record.verdict(T0 + TRAFFIC_IDLE_MS);
    expect(idle).toMatchObject({ state: 'unknown', reason: 'no traffic in the last 60 s' });
    expect(record.verdict(T0 + 5 * TRAFFIC_IDLE_MS)).toEqual(idle);
  });
});
