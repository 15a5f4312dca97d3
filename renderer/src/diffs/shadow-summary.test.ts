// Shadow rules in words, as the panel's switch line and the Diffs page say them: which version gets
// no switch (the busiest, compared with), what a rule copies, and its counts with losses only when
// there are some. Run with `npx vitest run renderer/src/diffs/shadow-summary.test.ts`.
import { describe, expect, it } from 'vitest';
import { serviceRoute } from '../topology/testing/mesh-fixtures.js';
import { busiestVersion, describeShadow, differingShare, shadowCounts, shadowMethods, shadowTargets } from './shadow-summary.js';
import { shadowView } from './testing/shadow-fixtures.js';

const route = (weights: Record<string, number>) => ({ versions: Object.keys(weights), effectiveWeights: weights });

describe('which versions get a switch', () => {
  it('offers every version but the one taking most traffic, the first declared on a tie', () => {
    expect(busiestVersion(route({ v1: 1, v2: 0 }))).toBe('v1');
    expect(shadowTargets(route({ v1: 1, v2: 0 }))).toEqual(['v2']);
    expect(shadowTargets(route({ v1: 0.1, v2: 0.9, v3: 0 }))).toEqual(['v1', 'v3']);
    expect(shadowTargets(route({ v1: 0.5, v2: 0.5 }))).toEqual(['v2']);
  });

  it('offers none for a service with one version, or none at all', () => {
    expect(shadowTargets(route({ v1: 1 }))).toEqual([]);
    expect(shadowTargets(route({}))).toEqual([]);
    expect(busiestVersion(route({}))).toBeNull();
  });
});

describe('what a rule copies', () => {
  it('names the versions the requests are routed to now when the rule has no "from"', () => {
    const world = serviceRoute('world', ['v1', 'v2'], { v1: 100 });
    expect(describeShadow(shadowView(), world)).toBe("Copying 100% of v1's GET/HEAD/OPTIONS to v2");
    expect(describeShadow(shadowView({ to: 'v3', percent: 12.5 }), route({ v1: 0.5, v2: 0.5, v3: 0 }))).toBe(
      "Copying 12.5% of v1's and v2's GET/HEAD/OPTIONS to v3",
    );
  });

  it("names the rule's own source, the methods it opted in, and the service when the route is not known", () => {
    expect(describeShadow(shadowView({ from: 'v1', methods: ['POST'] }), null)).toBe("Copying 100% of v1's GET/HEAD/OPTIONS/POST to v2");
    expect(describeShadow(shadowView(), null)).toBe("Copying 100% of world's GET/HEAD/OPTIONS to v2");
    expect(shadowMethods({ methods: ['GET', 'PUT'] })).toBe('GET/HEAD/OPTIONS/PUT');
  });
});

describe('how a rule fares', () => {
  it('gives the share of pairs that differ without rounding a few to none or most to all', () => {
    expect(differingShare(0, 0)).toBe('—');
    expect(differingShare(0, 340)).toBe('0%');
    expect(differingShare(27, 340)).toBe('8%');
    expect(differingShare(1, 500)).toBe('<1%');
    expect(differingShare(499, 500)).toBe('>99%');
    expect(differingShare(500, 500)).toBe('100%');
  });

  it('says what was compared, and what was lost only when something was', () => {
    const stats = shadowView().stats;
    expect(shadowCounts(shadowView())).toBe('0 compared');
    expect(shadowCounts(shadowView({ pairs: 340, differing: 27, stats: { ...stats, dropped: 12 } }))).toBe('340 compared · 8% differ · 12 dropped');
    expect(shadowCounts(shadowView({ pairs: 5, differing: 0, stats: { ...stats, failed: 1, skipped: 2 } }))).toBe(
      '5 compared · 0% differ · 1 failed · 2 skipped',
    );
  });
});
