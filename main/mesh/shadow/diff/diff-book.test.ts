// DiffBook: verdicts against learnt noise (also noise learnt after the pairs), the summary's counts,
// the pairs kept (ring bound, newest first, filters), the endpoint cap and clearing.
// Run with `npx vitest run main/mesh/shadow/diff/diff-book.test.ts`.
import { describe, expect, it } from 'vitest';
import { diffPairSchema, serviceDiffsSchema, type DiffSide, type ShadowView } from '../../../../shared/shadow.js';
import type { RawDifference } from './answer.js';
import { DiffBook, OTHER_METHOD, OTHER_PATTERN, type PairInput } from './diff-book.js';
import { MAX_FIELD_SETS } from './endpoint-tally.js';

function side(version: string): DiffSide {
  return { version, instance: null, exchangeId: null, status: 200, error: null, headers: [], body: null, ms: 3 };
}

function changed(field: string): RawDifference {
  return { field, kind: 'changed', primary: '1', shadow: '2' };
}

function input(fields: Partial<PairInput> = {}): PairInput {
  return { service: 'world', method: 'GET', path: '/users/1', at: 1_000, primary: side('v1'), shadow: side('v2'), differences: [], ...fields };
}

const query = { service: 'world', limit: 50 };

describe('noise', () => {
  it('probes the first 5 pairs of each endpoint, then 1 in 10', () => {
    const book = new DiffBook();
    const asked = Array.from({ length: 30 }, () => book.wantsNoiseProbe('world', 'GET', '/users/7'));
    expect(asked.flatMap((wanted, index) => (wanted ? [index + 1] : []))).toEqual([1, 2, 3, 4, 5, 15, 25]);
    // Another endpoint has its own count; another id is the same endpoint.
    expect(book.wantsNoiseProbe('world', 'GET', '/orders')).toBe(true);
    expect(book.wantsNoiseProbe('world', 'GET', '/users/8')).toBe(false);
  });

  it('hides a field learnt from a probe, and does not count it', () => {
    const book = new DiffBook();
    const pair = book.add(input({ differences: [changed('body.items[0].ts'), changed('body.items[1].ts')], noise: [changed('body.items[4].ts')] }));
    expect(pair.verdict).toBe('same');
    expect(pair.differences.every((difference) => difference.noisy)).toBe(true);

    const real = book.add(input({ path: '/users/2', differences: [changed('body.items[9].ts'), changed('body.name')] }));
    expect(real.verdict).toBe('different');
    expect(real.differences.map((difference) => difference.noisy)).toEqual([true, false]);

    const summary = book.summary('world', null);
    expect(summary).toMatchObject({ pairs: 2, differing: 1 });
    expect(summary?.endpoints[0]).toMatchObject({
      method: 'GET',
      pattern: '/users/{id}',
      pairs: 2,
      differing: 1,
      fields: [{ field: 'body.name', pairs: 1, lastPairId: real.id }],
      noisy: [{ field: 'body.items[*].ts', pairs: 2, lastPairId: real.id }],
    });
    expect(book.pairs({ ...query, differing: true }).map((found) => found.id)).toEqual([real.id]);
  });

  it('stops counting earlier pairs as differing once their only field is learnt as noise', () => {
    const book = new DiffBook();
    const [early] = [1, 2, 3].map((n) => book.add(input({ path: `/users/${n}`, differences: [changed('header x-served-at')] })));
    const mixed = book.add(input({ differences: [changed('header x-served-at'), changed('status')] }));
    expect(book.totals('world')).toEqual({ pairs: 4, differing: 4 });

    book.add(input({ differences: [], noise: [changed('header x-served-at')] }));
    expect(book.totals('world')).toEqual({ pairs: 5, differing: 1 });
    const summary = book.summary('world', null);
    expect(summary).toMatchObject({ pairs: 5, differing: 1 });
    expect(summary?.endpoints[0]?.fields).toEqual([{ field: 'status', pairs: 1, lastPairId: mixed.id }]);
    expect(summary?.endpoints[0]?.noisy).toEqual([{ field: 'header x-served-at', pairs: 4, lastPairId: mixed.id }]);

    // The stored pairs agree with the counts when read again.
    expect(book.pair(early?.id ?? -1)).toMatchObject({ verdict: 'same', differences: [{ field: 'header x-served-at', noisy: true }] });
    expect(book.pairs({ ...query, differing: true }).map((found) => found.id)).toEqual([mixed.id]);
    expect(book.pairs(query)).toHaveLength(5);
  });

  it('keeps noise per endpoint', () => {
    const book = new DiffBook();
    book.add(input({ path: '/users/1', noise: [changed('body.ts')] }));
    expect(book.add(input({ path: '/orders/1', differences: [changed('body.ts')] })).verdict).toBe('different');
    expect(book.add(input({ method: 'POST', path: '/users/1', differences: [changed('body.ts')] })).verdict).toBe('different');
  });

  it('counts pairs past the distinct field sets with the verdict they were recorded with', () => {
    const book = new DiffBook();
    // 40 × 40 fields make enough distinct sets of two.
    const fields = (index: number) => [changed(`body.a${index % 40}`), changed(`body.b${Math.floor(index / 40)}`)];
    for (let index = 0; index <= MAX_FIELD_SETS; index++) book.add(input({ differences: fields(index) }));
    book.add(input({ noise: Array.from({ length: 40 }, (_, index) => [changed(`body.a${index}`), changed(`body.b${index}`)]).flat() }));
    expect(book.totals('world')).toEqual({ pairs: MAX_FIELD_SETS + 2, differing: 1 });
  });
});

describe('summary', () => {
  const view = { service: 'world' } as ShadowView;

  it('is null for a service never recorded without a rule, empty with one', () => {
    const book = new DiffBook();
    expect(book.summary('world', null)).toBeNull();
    expect(book.summary('world', view)).toEqual({ service: 'world', shadow: view, pairs: 0, differing: 0, endpoints: [] });
    expect(book.totals('world')).toEqual({ pairs: 0, differing: 0 });
  });

  it('lists endpoints most differing first, and passes the schema', () => {
    const book = new DiffBook();
    book.add(input({ path: '/health' }));
    book.add(input({ path: '/users/1', differences: [changed('status')] }));
    book.add(input({ path: '/users/2', differences: [changed('status'), changed('body.name')] }));
    const summary = book.summary('world', null);
    expect(serviceDiffsSchema.parse(summary)).toEqual(summary);
    expect(summary?.endpoints.map((endpoint) => [endpoint.pattern, endpoint.pairs, endpoint.differing])).toEqual([
      ['/users/{id}', 2, 2],
      ['/health', 1, 0],
    ]);
    expect(summary?.endpoints[0]?.fields.map((field) => [field.field, field.pairs])).toEqual([
      ['status', 2],
      ['body.name', 1],
    ]);
  });
});

describe('pairs kept', () => {
  it('keeps the newest maxPairs across services, and counts them all', () => {
    const book = new DiffBook({ maxPairs: 3 });
    const [first, second] = [1, 2, 3, 4].map((n) => book.add(input({ service: n % 2 ? 'world' : 'hello', path: `/p/${n}` })).id);
    expect(book.pair(first ?? -1)).toBeNull();
    expect(book.pair(second ?? -1)?.path).toBe('/p/2');
    expect(book.pairs(query).map((pair) => pair.path)).toEqual(['/p/3']);
    expect(book.pairs({ service: 'hello', limit: 50 }).map((pair) => pair.path)).toEqual(['/p/4', '/p/2']);
    expect(book.totals('world')).toEqual({ pairs: 2, differing: 0 });
  });

  it('finds pairs newest first by method, pattern and limit, as the schema has them', () => {
    const book = new DiffBook();
    book.add(input({ path: '/users/1' }));
    book.add(input({ method: 'POST', path: '/users/2' }));
    book.add(input({ path: '/users/3', differences: [changed('status')] }));
    book.add(input({ path: '/health' }));
    expect(book.pairs({ ...query, method: 'get', pattern: '/users/{id}' }).map((pair) => pair.path)).toEqual(['/users/3', '/users/1']);
    expect(book.pairs({ ...query, limit: 2 }).map((pair) => pair.path)).toEqual(['/health', '/users/3']);
    for (const pair of book.pairs(query)) expect(diffPairSchema.parse(pair)).toEqual(pair);
  });
});

describe('endpoint cap', () => {
  it('counts endpoints past the cap under (other)', () => {
    const book = new DiffBook({ maxEndpointsPerService: 2 });
    book.add(input({ path: '/a' }));
    book.add(input({ path: '/b' }));
    const extra = book.add(input({ path: '/c', differences: [changed('status')] }));
    book.add(input({ method: 'DELETE', path: '/d' }));
    expect(extra.pattern).toBe(OTHER_PATTERN);
    const endpoints = book.summary('world', null)?.endpoints ?? [];
    expect(endpoints.map((endpoint) => [endpoint.method, endpoint.pattern, endpoint.pairs])).toEqual([
      [OTHER_METHOD, OTHER_PATTERN, 2],
      ['GET', '/a', 1],
      ['GET', '/b', 1],
    ]);
    expect(book.pairs({ ...query, pattern: OTHER_PATTERN, method: OTHER_METHOD }).map((pair) => pair.path)).toEqual(['/d', '/c']);
    expect(book.pairs({ ...query, pattern: OTHER_PATTERN, method: 'DELETE' }).map((pair) => pair.path)).toEqual(['/d']);
  });
});

describe('clear', () => {
  it('forgets a service’s pairs, counts and noise, and no other’s', () => {
    const book = new DiffBook();
    book.add(input({ noise: [changed('body.ts')] }));
    book.add(input({ differences: [changed('body.ts')] }));
    const kept = book.add(input({ service: 'hello' }));
    expect(book.clear('world')).toBe(2);
    expect(book.pairs(query)).toEqual([]);
    expect(book.totals('world')).toEqual({ pairs: 0, differing: 0 });
    expect(book.summary('world', null)).toEqual({ service: 'world', shadow: null, pairs: 0, differing: 0, endpoints: [] });
    expect(book.pair(kept.id)).not.toBeNull();
    // The noise went too: the same field counts again, and probing starts over.
    expect(book.add(input({ differences: [changed('body.ts')] })).verdict).toBe('different');
    expect(book.clear('nobody')).toBe(0);
  });
});
