/**
 * Rows read the event's newer fields as the contract names them (attempts, retries, flags, the
 * routing decision) and do without them; a row from the log drops its capture.
 * Run: `npx vitest run renderer/src/requests/log-row.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { exchangeSchema } from '../../../shared/exchange.js';
import { attemptsOf, decisionTraceOf, failedOf, flagsOf, retriesOf, rowFromExchange, type LogRow } from './log-row.js';

const base: LogRow = {
  id: 1,
  kind: 'service',
  caller: 'hello',
  service: 'world',
  version: 'v1',
  instance: '127.0.0.1:7002',
  method: 'GET',
  path: '/',
  status: 200,
  startedAt: 0,
  timings: { dispatched: 1, firstByte: 2, end: 3 },
  bytesIn: 0,
  bytesOut: 9,
  error: null,
};

const refused = { instance: '127.0.0.1:7002', status: 0, error: 'connection refused', ms: 1.5 };
const served = { instance: '127.0.0.1:7004', status: 200, error: null, ms: 3 };

describe('rowFromExchange', () => {
  it('keeps the event and its newer fields, and leaves headers and bodies with the mesh', () => {
    const exchange = exchangeSchema.parse({
      ...base,
      seq: 0,
      failed: false,
      requestHeaders: [['host', 'world']],
      responseHeaders: [],
      requestBody: null,
      responseBody: { encoding: 'utf8', data: 'x', size: 1, truncated: false },
      bodiesDropped: false,
      attempts: [served],
    });
    const row = rowFromExchange(exchange);
    expect(row).toMatchObject({ id: 1, seq: 0, failed: false, attempts: [served] });
    expect(row).not.toHaveProperty('requestHeaders');
    expect(row).not.toHaveProperty('responseBody');
  });
});

describe('newer fields', () => {
  it('counts retries from the count, else from the attempts', () => {
    expect(retriesOf(base)).toBe(0);
    expect(retriesOf({ ...base, retries: 2 })).toBe(2);
    expect(retriesOf({ ...base, attempts: [refused, served] })).toBe(1);
  });

  it('lists attempts', () => {
    expect(attemptsOf(base)).toEqual([]);
    expect(attemptsOf({ ...base, attempts: [refused, served] })).toEqual([refused, served]);
  });

  it('shows the flags the event carries, and retried when it only reports retries', () => {
    expect(flagsOf(base)).toEqual([]);
    expect(flagsOf({ ...base, flags: ['fault-injected', 'held'] })).toEqual(['fault-injected', 'held']);
    expect(flagsOf({ ...base, flags: ['ejected-instance'], retries: 1 })).toEqual(['ejected-instance', 'retried']);
    expect(flagsOf({ ...base, flags: ['retried'], retries: 1 })).toEqual(['retried']);
  });

  it('describes the routing decision, one line a step', () => {
    expect(decisionTraceOf(base)).toEqual([]);
    expect(
      decisionTraceOf({
        ...base,
        decision: [
          { step: 'version', choice: 'v2', reason: 'header x-meshdesk-route: world=v2' },
          { step: 'ejection', choice: null, reason: '127.0.0.1:7003 ejected for 30 s' },
        ],
      }),
    ).toEqual(['version → v2: header x-meshdesk-route: world=v2', 'ejection: 127.0.0.1:7003 ejected for 30 s']);
  });

  it('uses the mesh failure flag when the row has it, else the default rule', () => {
    expect(failedOf({ ...base, status: 503 })).toBe(true);
    expect(failedOf({ ...base, status: 404 })).toBe(false);
    expect(failedOf({ ...base, status: 429, failed: true })).toBe(true);
    expect(failedOf({ ...base, status: 0, error: 'client aborted' })).toBe(true);
  });
});
