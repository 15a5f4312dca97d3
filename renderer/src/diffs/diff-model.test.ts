// What the Diffs page computes from the mesh's answers: the services offered, when its copy is
// stale, which pairs a chosen endpoint or field stands for, and a pair's answers as compared (JSON
// with sorted keys, so key order alone never shows as a difference). Run with
// `npx vitest run renderer/src/diffs/diff-model.test.ts`.
import { describe, expect, it } from 'vitest';
import { diffLines } from '../requests/line-diff.js';
import { serviceRoute } from '../topology/testing/mesh-fixtures.js';
import {
  comparableBody,
  comparedSide,
  diffServiceChoices,
  exampleShadow,
  ignoredHeaders,
  noiseRows,
  orderDifferences,
  pairsForSelection,
  pairsQuery,
  servicesToProbe,
  shadowCountsKey,
  sortedJsonText,
} from './diff-model.js';
import { diffPair, diffSide, shadowView } from './testing/shadow-fixtures.js';

const json = (data: string) => ({ encoding: 'utf8' as const, data, size: data.length, truncated: false });
const difference = (field: string, noisy = false) => ({ field, kind: 'changed' as const, primary: '1', shadow: '2', noisy });

describe('services and staleness', () => {
  it('offers the shadowed services, those with kept diffs and the one asked for, once each and sorted', () => {
    expect(diffServiceChoices([shadowView({ service: 'world' })], ['api', null, 'world', ''])).toEqual(['api', 'world']);
    expect(diffServiceChoices(null, [])).toEqual([]);
  });

  it('probes only services with two versions and no rule in force', () => {
    const routes = [serviceRoute('world', ['v1', 'v2']), serviceRoute('hello', ['v1']), serviceRoute('api', ['v1', 'v2'])];
    expect(servicesToProbe(routes, ['world'])).toEqual(['api']);
    expect(servicesToProbe(null, [])).toEqual([]);
  });

  it('is stale when pairs were compared, or the rule started, changed or stopped', () => {
    const view = shadowView({ pairs: 3, differing: 1 });
    expect(shadowCountsKey(view)).toBe(shadowCountsKey({ ...view }));
    expect(shadowCountsKey({ ...view, pairs: 4 })).not.toBe(shadowCountsKey(view));
    expect(shadowCountsKey({ ...view, to: 'v3' })).not.toBe(shadowCountsKey(view));
    expect(shadowCountsKey({ ...view, since: '2025-01-01T13:00:00.000Z' })).not.toBe(shadowCountsKey(view));
    expect(shadowCountsKey(null)).not.toBe(shadowCountsKey(view));
  });

  it('names one of the user’s own services in the empty state’s example, else world and v2', () => {
    expect(exampleShadow([serviceRoute('hello', ['v1']), serviceRoute('search', ['a', 'b'], { a: 0, b: 100 })])).toEqual({ service: 'search', version: 'a' });
    expect(exampleShadow(null)).toEqual({ service: 'world', version: 'v2' });
  });
});

describe('pairs for a selection', () => {
  const endpoint = { method: 'GET', pattern: '/users/{id}' };

  it('asks for differing pairs only for a field that counted: noise also shows in pairs judged the same', () => {
    expect(pairsQuery('world', { ...endpoint, field: null, noisy: false })).toEqual({ service: 'world', ...endpoint, limit: 50 });
    expect(pairsQuery('world', { ...endpoint, field: 'body.name', noisy: false })).toEqual({ service: 'world', ...endpoint, limit: 200, differing: true });
    expect(pairsQuery('world', { ...endpoint, field: 'body.ts', noisy: true })).toEqual({ service: 'world', ...endpoint, limit: 200 });
  });

  it('keeps the pairs where the chosen field differs, in the order the mesh gave', () => {
    const pairs = [
      diffPair({ id: 3, differences: [difference('body.ts', true)] }),
      diffPair({ id: 2, differences: [difference('body.name'), difference('body.ts', true)] }),
      diffPair({ id: 1 }),
    ];
    expect(pairsForSelection(pairs, { ...endpoint, field: null, noisy: false }).map((pair) => pair.id)).toEqual([3, 2, 1]);
    expect(pairsForSelection(pairs, { ...endpoint, field: 'body.ts', noisy: true }).map((pair) => pair.id)).toEqual([3, 2]);
    expect(pairsForSelection(pairs, { ...endpoint, field: 'body.name', noisy: false }, 1).map((pair) => pair.id)).toEqual([2]);
  });

  it('lists the differences that count before the noise', () => {
    expect(orderDifferences([difference('body.ts', true), difference('status'), difference('body.name')]).map((entry) => entry.field)).toEqual([
      'status',
      'body.name',
      'body.ts',
    ]);
  });
});

describe('a pair as compared side by side', () => {
  it('sorts JSON keys at every depth, so only differing values make differing lines', () => {
    expect(sortedJsonText('{"b":1,"a":{"d":[{"z":1,"y":2}],"c":null}}')).toBe(JSON.stringify({ a: { c: null, d: [{ y: 2, z: 1 }] }, b: 1 }, null, 2));
    expect(sortedJsonText('not json')).toBeNull();
    const headers: [string, string][] = [['content-type', 'application/json']];
    const primary = comparableBody(json('{"version":"v1","greeting":"hi","at":1}'), headers);
    const shadow = comparableBody(json('{"at":2,"greeting":"hi","version":"v2"}'), headers);
    expect(diffLines(primary, shadow).filter((line) => line.kind !== 'same')).toEqual([
      { kind: 'removed', text: '  "at": 1,' },
      { kind: 'added', text: '  "at": 2,' },
      { kind: 'removed', text: '  "version": "v1"' },
      { kind: 'added', text: '  "version": "v2"' },
    ]);
  });

  it('shows text as it is and nothing for no body', () => {
    expect(comparableBody(json('hello\n'), [['content-type', 'text/plain']])).toBe('hello\n');
    expect(comparableBody(null, [])).toBe('');
  });

  it('heads each side with its role and version, and says why a side got no answer', () => {
    const pair = diffPair({ shadow: diffSide({ version: 'v2', instance: null, status: 0, error: 'connection refused' }) });
    expect(comparedSide(pair, pair.primary, 'primary')).toMatchObject({
      heading: 'Primary v1',
      testId: 'primary',
      status: 200,
      servedBy: 'world@v1 (127.0.0.1:7002)',
    });
    expect(comparedSide(pair, pair.shadow, 'shadow')).toMatchObject({ heading: 'Shadow v2', status: 'no answer: connection refused', servedBy: 'world@v2' });
  });

  it('leaves out the default headers and the rule’s own, in any case', () => {
    const ignored = ignoredHeaders(shadowView({ ignoreHeaders: ['X-Build'] }));
    expect(ignored.has('date')).toBe(true);
    expect(ignored.has('x-build')).toBe(true);
    expect(ignoredHeaders(null).has('x-build')).toBe(false);
  });

  it('quietens the changed lines of a noisy key, never those of a key that also differs for real', () => {
    const changedRow = (left: string, right: string) => ({ left: { kind: 'removed' as const, text: left }, right: { kind: 'added' as const, text: right } });
    const quiet = noiseRows([
      difference('body.servedAt', true),
      difference('body.items[0].at', true),
      difference('body.user.plan'),
      difference('body.plan', true),
    ]);
    expect(quiet(changedRow('  "servedAt": 1,', '  "servedAt": 2,'))).toBe(true);
    expect(quiet(changedRow('      "at": 1', '      "at": 2'))).toBe(true);
    expect(quiet({ left: null, right: { kind: 'added', text: '  "servedAt": 2,' } })).toBe(true);
    // `plan` differs for real somewhere: no line of it is quietened.
    expect(quiet(changedRow('    "plan": "free"', '    "plan": "pro"'))).toBe(false);
    expect(quiet(changedRow('  "servedAt": 1,', '  "name": "Ada",'))).toBe(false);
    expect(quiet({ left: { kind: 'same', text: '  "servedAt": 1,' }, right: { kind: 'same', text: '  "servedAt": 1,' } })).toBe(false);
    expect(noiseRows([difference('body line 3', true)])(changedRow('a', 'b'))).toBe(false);
  });
});
