/**
 * The waterfall's phases from an event's timings. Run: `npx vitest run renderer/src/requests/timing-phases.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { timingPhases } from './timing-phases.js';

describe('timingPhases', () => {
  it('lays queue, first byte and transfer end to end', () => {
    expect(timingPhases({ dispatched: 2, firstByte: 30, end: 32 })).toEqual([
      { name: 'queue', startMs: 0, durationMs: 2 },
      { name: 'first byte', startMs: 2, durationMs: 28 },
      { name: 'transfer', startMs: 30, durationMs: 2 },
    ]);
  });

  it('adds connect when the event says when the connection was ready', () => {
    expect(timingPhases({ dispatched: 1, connected: 5, firstByte: 9, end: 10 }).map((phase) => [phase.name, phase.durationMs])).toEqual([
      ['queue', 1],
      ['connect', 4],
      ['first byte', 4],
      ['transfer', 1],
    ]);
  });

  it('shows a request that never got a response as waiting until it ended', () => {
    expect(timingPhases({ dispatched: 1, firstByte: null, end: 3000 }).map((phase) => [phase.name, phase.durationMs])).toEqual([
      ['queue', 1],
      ['first byte', 2999],
      ['transfer', 0],
    ]);
  });
});
