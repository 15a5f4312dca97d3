import { describe, expect, it } from 'vitest';
import { sparklinePath } from './sparkline-path.js';

describe('sparklinePath', () => {
  it('scales from 0 to the largest value, left to right', () => {
    expect(sparklinePath([0, 5, 10], { width: 100, height: 22 })).toBe('M0 21L50 11L100 1');
  });

  it('leaves gaps where there was no data instead of drawing zero', () => {
    expect(sparklinePath([1, null, 1, 1], { width: 30, height: 12, min: 0, max: 1 })).toBe('M0 1M20 1L30 1');
  });

  it('clamps to fixed bounds and draws nothing without data', () => {
    expect(sparklinePath([2], { width: 10, height: 12, min: 0, max: 1 })).toBe('M0 1');
    expect(sparklinePath([], { width: 10, height: 10 })).toBe('');
    expect(sparklinePath([null, null], { width: 10, height: 10 })).toBe('');
    expect(sparklinePath([0, 0], { width: 10, height: 12 })).toBe('M0 11L10 11');
  });
});
