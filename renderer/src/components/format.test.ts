import { describe, expect, it } from 'vitest';
import { formatAge, formatMs, formatPercent, formatRps, formatShare } from './format.js';

describe('format', () => {
  it('writes request rates short, and no data as a dash', () => {
    expect(formatRps(null)).toBe('—');
    expect(formatRps(0)).toBe('0 rps');
    expect(formatRps(0.05)).toBe('<0.1 rps');
    expect(formatRps(2.345)).toBe('2.3 rps');
    expect(formatRps(1999.6)).toBe('2000 rps');
    expect(formatRps(25_300)).toBe('25.3k rps');
  });

  it('never rounds a failing success rate up to 100%', () => {
    expect(formatPercent(0.9999)).toBe('99.9%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0.956)).toBe('95%');
    expect(formatPercent(null)).toBe('—');
  });

  it('writes latencies in ms, then seconds', () => {
    expect(formatMs(0.4)).toBe('<1 ms');
    expect(formatMs(45.4)).toBe('45 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(90_000)).toBe('1.5 min');
    expect(formatMs(null)).toBe('—');
  });

  it('writes shares and ages', () => {
    expect(formatShare(0.5)).toBe('50%');
    expect(formatShare(undefined)).toBe('—');
    expect(formatAge(1000, 6000)).toBe('5s ago');
    expect(formatAge(0, 180_000)).toBe('3 min ago');
  });
});
