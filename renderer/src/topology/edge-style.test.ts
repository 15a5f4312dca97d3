import { describe, expect, it } from 'vitest';
import { formatMs, formatPercent, formatRps } from '../components/format.js';
import { edgeLabel, edgeWidth, flowSpeed } from './edge-style.js';

describe('edge style', () => {
  it('moves faster with more traffic, and not at all without', () => {
    expect(flowSpeed(0)).toBeNull();
    expect(flowSpeed(-1)).toBeNull();
    const speeds = [0.5, 2, 20, 200, 2000, 1e9].map((rps) => flowSpeed(rps) as number);
    for (let index = 1; index < speeds.length; index++) expect(speeds[index]).toBeGreaterThan((speeds[index - 1] as number) - 1);
    expect(speeds[3]).toBeGreaterThan(2 * (speeds[0] as number));
    expect(Math.max(...speeds)).toBeLessThanOrEqual(400);
  });

  it('grows thicker with traffic, within bounds', () => {
    expect(edgeWidth(0)).toBe(1.5);
    expect(edgeWidth(10)).toBeGreaterThan(edgeWidth(1));
    expect(edgeWidth(1e9)).toBeLessThanOrEqual(5.5);
    expect(edgeWidth(3) % 0.5).toBe(0);
    expect(edgeWidth(3)).toBe(edgeWidth(3.6));
  });

  it('labels rate, success and p99', () => {
    expect(edgeLabel({ rps: 2, successRate: 0.995, p99: 45 }, { rps: formatRps, percent: formatPercent, ms: formatMs })).toBe('2.0 rps · 99.5% · p99 45 ms');
  });
});
