/**
 * The request log view's row store: bounded, ordered by id, merged from pushed batches and pages of
 * history without duplicates, paused and resumed, and announcing changes at a bounded rate.
 * Timers are vitest's fake timers: the rate is the behaviour under test.
 * Run: `npx vitest run renderer/src/requests/live-log.test.ts`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { event } from '../../../shared/testing/exchange-fixture.js';
import { LiveLog } from './live-log.js';
import type { LogRow } from './log-row.js';
import { compileRowFilter } from './row-filter.js';

/** Row `id` of the log: the shared fixture's exchange under its own id, path and time. */
function row(id: number, overrides: Partial<LogRow> = {}): LogRow {
  return { ...event({ id, path: `/${id}`, startedAt: 1_700_000_000_000 + id }), ...overrides };
}

const ids = (log: LiveLog) => log.snapshot().map((item) => item.id);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => row(from + index));

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('LiveLog', () => {
  it('keeps the newest rows up to its capacity, oldest first, and counts what it let go', () => {
    const log = new LiveLog({ capacity: 5 });
    log.pushed(range(1, 3), 0);
    log.pushed(range(4, 8), 0);
    expect(ids(log)).toEqual([4, 5, 6, 7, 8]);
    expect(log.counters).toMatchObject({ received: 8, evicted: 3 });
    expect(log.indexOfId(6)).toBe(2);
    expect(log.indexOfId(2)).toBe(-1);
  });

  it('merges pages of history with live rows: no duplicates, id order, newest kept', () => {
    const log = new LiveLog({ capacity: 6 });
    log.pushed([row(10), row(11)], 0);
    log.history([row(9), row(10), row(8)]);
    log.history(range(1, 7));
    expect(ids(log)).toEqual([6, 7, 8, 9, 10, 11]);
    log.incoming([row(11), row(12)]);
    expect(ids(log)).toEqual([7, 8, 9, 10, 11, 12]);
  });

  it('shows only rows the filter accepts, and none from the stream when the filter needs headers', () => {
    const log = new LiveLog();
    log.reset(compileRowFilter({ status: '5xx' }), true);
    log.pushed([row(1), row(2, { status: 503 }), row(3, { status: 500 })], 0);
    expect(ids(log)).toEqual([2, 3]);

    log.reset(compileRowFilter({ headerName: 'x-id' }), false);
    log.pushed([row(4)], 0);
    expect(ids(log)).toEqual([]);
    // The mesh's answer is the only source then.
    log.incoming([row(4)]);
    expect(ids(log)).toEqual([4]);
  });

  it('holds new rows while paused, bounded, and shows them on resume', () => {
    const log = new LiveLog({ capacity: 3 });
    log.pushed([row(1)], 0);
    log.pause();
    log.pushed(range(2, 6), 0);
    expect(ids(log)).toEqual([1]);
    expect(log.counters.waiting).toBe(5);
    expect(log.newestId).toBe(6);
    // History still lands while paused (the user scrolls back through it).
    log.resume();
    expect(ids(log)).toEqual([4, 5, 6]);
    expect(log.counters.waiting).toBe(0);
  });

  it('keeps a row that ends after newer ones while paused, and shows it in order on resume', () => {
    const log = new LiveLog({ capacity: 10 });
    log.pushed([row(1), row(3)], 0);
    log.pause();
    // Exchange 2 was slow (or its caller was still being looked up): it is logged after 3 and 4.
    log.pushed([row(4)], 0);
    log.pushed([row(2), row(4)], 0);
    expect(log.counters.waiting).toBe(2);
    expect(log.newestId).toBe(4);
    log.resume();
    expect(ids(log)).toEqual([1, 2, 3, 4]);
  });

  it('clears', () => {
    const log = new LiveLog();
    log.pushed(range(1, 4), 0);
    log.clear();
    expect(log.length).toBe(0);
    expect(log.newestId).toBeNull();
  });

  it('announces stream changes at most once per interval, and user actions at once', () => {
    const log = new LiveLog({ notifyEveryMs: 250 });
    const listener = vi.fn();
    log.subscribe(listener);
    for (let id = 1; id <= 50; id++) log.pushed([row(id)], 0);
    expect(listener).not.toHaveBeenCalled();
    vi.advanceTimersByTime(250);
    expect(listener).toHaveBeenCalledTimes(1);
    for (let id = 51; id <= 60; id++) log.pushed([row(id)], 0);
    log.pause();
    expect(listener).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1000);
    // The pause announced the pending change too: nothing left to say.
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('counts events the stream dropped', () => {
    const log = new LiveLog();
    log.pushed([row(1)], 17);
    expect(log.counters.droppedByStream).toBe(17);
  });

  it('holds 10,000 rows and takes a batch of 500 at 10,000 in well under a frame', () => {
    const log = new LiveLog();
    log.pushed(range(1, 10_000), 0);
    const started = performance.now();
    for (let batch = 0; batch < 20; batch++) log.pushed(range(10_001 + batch * 500, 10_500 + batch * 500), 0);
    const perBatch = (performance.now() - started) / 20;
    expect(log.length).toBe(10_000);
    expect(ids(log)[0]).toBe(10_001);
    // Generous for a shared machine; a copy-and-sort per batch would still pass, a quadratic scan would not.
    expect(perBatch).toBeLessThan(50);
  });
});
