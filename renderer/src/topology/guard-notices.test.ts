// Which guard rollbacks the topology tells: once each, those it saw watching or that started after
// it opened, never old ones found on opening.
import { describe, expect, it } from 'vitest';
import type { RouteGuard, ServiceRoute } from '../../../shared/routes.js';
import { guardNews, type GuardMemory } from './guard-notices.js';

const sample = { requests: 0, failures: 0, successRate: null, p99Ms: null };

function route(state: RouteGuard['state'], startedAt: string): ServiceRoute {
  return {
    service: 'world',
    versions: ['v1', 'v2'],
    route: null,
    effectiveWeights: { v1: 1, v2: 0 },
    history: [],
    guard: {
      state,
      version: 'v2',
      baselineVersion: 'v1',
      startedAt,
      until: startedAt,
      thresholds: { forSeconds: 60, minRequests: 20, maxFailureRate: 1, maxP99Ratio: 2 },
      baseline: sample,
      observed: sample,
      reason: state === 'rolled-back' ? 'rolled back by guard: success 0% < baseline 100% after 20 requests' : null,
    },
  };
}

const memory = (openedAt: number): GuardMemory => ({ watching: new Set(), told: new Set(), openedAt });

describe('guardNews', () => {
  it('tells a rollback it saw watching, once, with the reason', () => {
    const seen = memory(Date.parse('2026-01-01T12:00:00Z'));
    expect(guardNews([route('watching', '2026-01-01T11:00:00.000Z')], seen)).toEqual([]);
    const news = guardNews([route('rolled-back', '2026-01-01T11:00:00.000Z')], seen);
    expect(news.map((entry) => entry.text)).toEqual(['world snapped back to v1: rolled back by guard: success 0% < baseline 100% after 20 requests.']);
    expect(guardNews([route('rolled-back', '2026-01-01T11:00:00.000Z')], seen)).toEqual([]);
  });

  it('tells a rollback whose guard started after the view opened, even if it never saw it watching', () => {
    expect(guardNews([route('rolled-back', '2026-01-01T12:00:01.000Z')], memory(Date.parse('2026-01-01T12:00:00Z')))).toHaveLength(1);
  });

  it('does not replay a rollback older than the view', () => {
    expect(guardNews([route('rolled-back', '2026-01-01T11:00:00.000Z')], memory(Date.parse('2026-01-01T12:00:00Z')))).toEqual([]);
    expect(guardNews([route('passed', '2026-01-01T12:30:00.000Z')], memory(Date.parse('2026-01-01T12:00:00Z')))).toEqual([]);
  });
});
