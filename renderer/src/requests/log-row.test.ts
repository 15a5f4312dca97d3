/**
 * Rows read the event's fields as the contract names them (attempts, flags, the routing decision),
 * with none for exchanges that were not routed; a row from the log drops its capture.
 * Run: `npx vitest run renderer/src/requests/log-row.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { event, exchange } from '../../../shared/testing/exchange-fixture.js';
import { FLAG_LABELS, attemptsOf, decisionTraceOf, flagsOf, rowFromExchange, type LogRow } from './log-row.js';

const base: LogRow = event({ id: 1 });

const refused = { instance: '127.0.0.1:7002', status: 0, error: 'connection refused', ms: 1.5 };
const served = { instance: '127.0.0.1:7004', status: 200, error: null, ms: 3 };

describe('rowFromExchange', () => {
  it('keeps the event, its attempts and its verdict, and leaves headers and bodies with the mesh', () => {
    const logged = exchange({ id: 1, seq: 0, status: 404, failed: true, retries: 1, attempts: [refused, served] });
    const row = rowFromExchange(logged);
    expect(row).toMatchObject({ id: 1, seq: 0, failed: true, retries: 1, attempts: [refused, served] });
    expect(row).not.toHaveProperty('requestHeaders');
    expect(row).not.toHaveProperty('responseBody');
    expect(row).not.toHaveProperty('bodiesDropped');
  });
});

describe('routed fields', () => {
  it('lists attempts', () => {
    expect(attemptsOf(base)).toEqual([]);
    expect(attemptsOf({ ...base, attempts: [refused, served] })).toEqual([refused, served]);
  });

  it('shows the flags the event carries', () => {
    expect(flagsOf(base)).toEqual([]);
    expect(flagsOf({ ...base, flags: ['fault-injected', 'held'] })).toEqual(['fault-injected', 'held']);
    expect(flagsOf({ ...base, flags: ['retried'], retries: 1 })).toEqual(['retried']);
  });

  it('labels a shadow copy so it reads apart from the caller’s own requests', () => {
    expect(flagsOf({ ...base, flags: ['shadow'] }).map((flag) => FLAG_LABELS[flag].short)).toEqual(['shadow']);
    expect(FLAG_LABELS.shadow.title).toMatch(/caller never saw/);
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
});
