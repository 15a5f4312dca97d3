/**
 * The view's filter over pushed rows agrees with the mesh's log filter on every event field, and
 * knows which filters only the mesh can decide. Run: `npx vitest run renderer/src/requests/row-filter.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { parseFilterWords } from '../../../shared/log-filter-words.js';
import { event } from '../../../shared/testing/exchange-fixture.js';
import type { LogRow } from './log-row.js';
import { compileRowFilter, needsCapture } from './row-filter.js';

const base: LogRow = event({ id: 1, path: '/API/greet', startedAt: 0, timings: { dispatched: 1, firstByte: 100, end: 250 } });

const rows: LogRow[] = [
  base,
  { ...base, id: 2, caller: 'shell', version: 'v1', instance: '127.0.0.1:7002', status: 503, timings: { dispatched: 1, firstByte: 5, end: 6 }, failed: true },
  { ...base, id: 3, method: 'POST', path: '/other', status: 404 },
  { ...base, id: 4, status: 0, error: 'connection refused', kind: 'external', service: '127.0.0.1:9', failed: true },
  { ...base, id: 5, status: 200, failed: true },
];

const matching = (words: string) => rows.filter(compileRowFilter(parseFilterWords(words).filter)).map((row) => row.id);

describe('compileRowFilter', () => {
  it.each([
    ['', [1, 2, 3, 4, 5]],
    ['service=WORLD', [1, 2, 3, 5]],
    ['caller=shell', [2]],
    ['version=v2', [1, 3, 4, 5]],
    ['instance=127.0.0.1:7002', [2]],
    ['kind=external', [4]],
    ['method=post', [3]],
    ['status=5xx', [2]],
    ['status=404', [3]],
    ['status=0', [4]],
    ['path~/api', [1, 2, 4, 5]],
    ['path=~^/API/', [1, 2, 4, 5]],
    ['path=~^/api/', []],
    ['min=200ms', [1, 3, 4, 5]],
    ['errors', [2, 4, 5]],
    ['service=world errors min=1', [2, 5]],
  ])('%s → %j', (words, ids) => {
    expect(matching(words)).toEqual(ids);
  });
});

describe('errors', () => {
  it('are the rows the mesh failed, whatever their status: failureStatuses [404] fails a 404 and not a 500', () => {
    const configured = [
      { ...base, id: 6, status: 404, failed: true },
      { ...base, id: 7, status: 500, failed: false },
    ];
    expect(configured.filter(compileRowFilter(parseFilterWords('errors').filter)).map((row) => row.id)).toEqual([6]);
  });
});

describe('needsCapture', () => {
  it('is true for filters on headers or free text, which pushed events cannot answer', () => {
    expect(needsCapture(parseFilterWords('header:x-id').filter)).toBe(true);
    expect(needsCapture(parseFilterWords('boom').filter)).toBe(true);
    expect(needsCapture(parseFilterWords('service=world status=5xx path~/a min=3 errors').filter)).toBe(false);
  });
});
