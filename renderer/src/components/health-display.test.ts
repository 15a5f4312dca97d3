import { describe, expect, it } from 'vitest';
import type { TrafficHealth } from '../../../shared/model.js';
import { healthDisplay, type HealthFacts } from './health-display.js';

const noCheck: HealthFacts = { health: 'unknown', healthReason: null, healthCheck: null };
const checked: HealthFacts = { health: 'healthy', healthReason: 'HTTP 200 (2 passes in a row)', healthCheck: 'http GET /health every 2s' };
const traffic = (state: TrafficHealth['state'], reason: string | null): TrafficHealth => ({ state, reason, lastSeen: 1 });

describe('healthDisplay', () => {
  it('shows health from traffic, labelled so, where an instance has no check', () => {
    expect(healthDisplay({ ...noCheck, traffic: traffic('failing', 'connection refused') })).toEqual({
      state: 'failing',
      source: 'traffic',
      reason: 'connection refused',
      trafficNote: null,
      summary: 'failing from traffic (connection refused); no health check',
    });
    expect(healthDisplay({ ...noCheck, traffic: traffic('healthy', null) })).toMatchObject({ state: 'healthy', source: 'traffic', reason: null });
  });

  it('keeps the check first and puts what traffic says beside it', () => {
    expect(healthDisplay({ ...checked, traffic: traffic('failing', 'HTTP 503') })).toEqual({
      state: 'healthy',
      source: 'check',
      reason: 'HTTP 200 (2 passes in a row)',
      trafficNote: 'traffic: failing · HTTP 503',
      summary: 'check: healthy — HTTP 200 (2 passes in a row) · traffic: failing · HTTP 503',
    });
    expect(healthDisplay({ ...checked, traffic: traffic('unknown', 'no traffic in the last 60 s') }).trafficNote).toBeNull();
  });

  it('is unknown, saying why, with neither a check nor recent traffic', () => {
    expect(healthDisplay({ ...noCheck, traffic: traffic('unknown', null) })).toMatchObject({
      state: 'unknown',
      source: 'none',
      reason: 'no traffic yet',
      summary: 'unknown: no health check, no traffic yet',
    });
    expect(healthDisplay({ ...noCheck, traffic: traffic('unknown', 'no traffic in the last 60 s') }).reason).toBe('no traffic in the last 60 s');
    // A mesh older than health from traffic: nothing is claimed about traffic.
    expect(healthDisplay(noCheck)).toMatchObject({ state: 'unknown', source: 'none', reason: null, summary: 'unknown: no health check' });
  });
});
