import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../settings/settings-model.js';
import { GONE_AFTER_MS, IDLE_AFTER_MS, recencyOf, retiredVersions } from './edge-recency.js';
import { buildGraph } from './graph-model.js';
import { serviceRoute, serviceView, statsSnapshot } from './testing/mesh-fixtures.js';

describe('edge recency', () => {
  it('is live while requests keep coming, idle after a few quiet seconds, gone after half a minute', () => {
    const at = 100_000;
    expect(recencyOf({ rps: 2, lastSeen: at - 500 }, at)).toBe('live');
    expect(recencyOf({ rps: 2, lastSeen: at - IDLE_AFTER_MS - 1 }, at)).toBe('idle');
    expect(recencyOf({ rps: 0, lastSeen: at - 500 }, at)).toBe('idle');
    expect(recencyOf({ rps: 0, lastSeen: at - GONE_AFTER_MS - 1 }, at)).toBe('gone');
    expect(recencyOf({ rps: 1, lastSeen: null }, at)).toBe('live');
  });

  it('retires the versions a route sends nothing: no weight and no header rule', () => {
    const allToV2 = serviceRoute('world', ['v1', 'v2', 'v3'], { v2: 100 });
    const canary = { ...allToV2, route: { headerRules: [{ header: 'x-canary', value: '1', version: 'v3' }] } };
    expect([...retiredVersions([canary])]).toEqual(['world\nv1']);
    expect([...retiredVersions(null)]).toEqual([]);
  });

  it('draws the edge to the old version as history the moment the route moves, and drops an edge quiet for 30 s', () => {
    const services = [serviceView('hello', { default: ['127.0.0.1:7001'] }), serviceView('world', { v1: ['127.0.0.1:7002'], v2: ['127.0.0.1:7003'] })];
    const stats = statsSnapshot([
      { caller: 'hello', service: 'world', version: 'v1', rps: 3 },
      { caller: 'hello', service: 'world', version: 'v2', rps: 1 },
    ]);
    const graph = (routes: ReturnType<typeof serviceRoute>[], snapshot = stats) =>
      buildGraph({ services, stats: snapshot, routes, faults: [], thresholds: DEFAULT_THRESHOLDS }).edges.map((edge) => ({
        id: edge.id,
        idle: edge.idle,
        retired: edge.retired,
      }));
    expect(graph([serviceRoute('world', ['v1', 'v2'], { v2: 100 })])).toEqual([
      { id: 'hello->world@v1', idle: false, retired: true },
      { id: 'hello->world@v2', idle: false, retired: false },
    ]);
    const later = { ...stats, at: stats.at + GONE_AFTER_MS + 2_000 };
    expect(graph([serviceRoute('world', ['v1', 'v2'], { v2: 100 })], later)).toEqual([]);
  });
});
