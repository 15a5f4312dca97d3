import { describe, expect, it } from 'vitest';
import { describeRoute, moveSlider, soleVersion, splitOf } from './route-split.js';

describe('route splits', () => {
  it('reads the split in force as whole percentages adding up to 100', () => {
    expect(splitOf({ versions: ['v1', 'v2'], effectiveWeights: { v1: 1, v2: 0 } })).toEqual({ v1: 100, v2: 0 });
    expect(splitOf({ versions: ['a', 'b', 'c'], effectiveWeights: { a: 1 / 3, b: 1 / 3, c: 1 / 3 } })).toEqual({ a: 34, b: 33, c: 33 });
    expect(splitOf({ versions: ['v1', 'v2'], effectiveWeights: {} })).toEqual({ v1: 100, v2: 0 });
  });

  it('moving one slider takes the difference from the others in proportion', () => {
    expect(moveSlider({ v1: 100, v2: 0 }, 'v2', 50)).toEqual({ v1: 50, v2: 50 });
    expect(moveSlider({ v1: 50, v2: 50 }, 'v1', 10)).toEqual({ v1: 10, v2: 90 });
    expect(moveSlider({ a: 60, b: 30, c: 10 }, 'a', 20)).toEqual({ a: 20, b: 60, c: 20 });
    expect(moveSlider({ a: 100, b: 0, c: 0 }, 'a', 40)).toEqual({ a: 40, b: 30, c: 30 });
    expect(moveSlider({ v1: 50, v2: 50 }, 'v2', 140)).toEqual({ v1: 0, v2: 100 });
    expect(moveSlider({ only: 100 }, 'only', 20)).toEqual({ only: 100 });
    for (const split of [moveSlider({ a: 33, b: 33, c: 34 }, 'b', 71), moveSlider({ a: 1, b: 1, c: 98 }, 'c', 3)]) {
      expect(Object.values(split).reduce((sum, value) => sum + value, 0)).toBe(100);
    }
  });

  it('knows when a split is really all to one version', () => {
    expect(soleVersion({ v1: 0, v2: 100 })).toBe('v2');
    expect(soleVersion({ v1: 10, v2: 90 })).toBeNull();
  });

  it('describes routes in one line for the history', () => {
    expect(describeRoute(null, ['v1', 'v2'])).toBe('default (all to v1)');
    expect(describeRoute({ weights: { v2: 1 }, headerRules: [] }, ['v1', 'v2'])).toBe('all to v2');
    expect(describeRoute({ weights: { v1: 9, v2: 1 }, headerRules: [] }, ['v1', 'v2'])).toBe('v1 90% · v2 10%');
    expect(describeRoute({ alias: 'search-next', headerRules: [{ header: 'x-canary', version: 'v2' }] }, [])).toBe('alias → search-next, 1 header rule');
  });
});
