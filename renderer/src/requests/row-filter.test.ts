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

describe('gRPC calls', () => {
  const call = (id: number, status: number | null, message: string | null, failed = false): LogRow => ({
    ...base,
    id,
    service: 'greeter',
    method: 'POST',
    path: '/helloworld.Greeter/SayHello',
    protocol: 'h2',
    grpc: { status, message },
    failed,
  });
  const calls: LogRow[] = [
    call(11, 0, 'OK'),
    call(12, 14, 'meshdesk: connection refused', true),
    call(13, 5, 'no such greeting'),
    call(14, null, null, true),
    { ...call(15, 0, null), path: '/grpc.health.v1.Health/Check' },
    { ...base, id: 16, method: 'GET', path: '/unavailable', protocol: 'h2' },
    { ...base, id: 17, method: 'POST', path: '/SayHello' },
  ];
  const matchingCalls = (words: string) => calls.filter(compileRowFilter(parseFilterWords(words).filter)).map((row) => row.id);

  it.each([
    ['grpc-status=UNAVAILABLE', [12]],
    ['grpc-status=unavailable', [12]],
    ['grpc-status=14', [12]],
    ['grpc-status=OK', [11, 15]],
    ['grpc-status=0', [11, 15]],
    ['grpc-status=NOT_FOUND errors', []],
    ['method~greeter/sayhello', [11, 12, 13, 14]],
    ['method~Health', [15]],
    ['method~SayHello', [11, 12, 13, 14]],
    ['method~pos', [17]],
    ['method~get', [16]],
    ['method=POST', [11, 12, 13, 14, 15, 17]],
    ['method=GET', [16]],
    ['status=200 grpc-status=NOT_FOUND', [13]],
    ['unavailable', [12, 16]],
    ['refused', [12]],
    ['greeting', [13]],
    ['not_found', [13]],
  ])('%s → %j', (words, ids) => {
    expect(matchingCalls(words)).toEqual(ids);
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
