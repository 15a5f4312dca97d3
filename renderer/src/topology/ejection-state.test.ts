// The panel's view of passive ejection, derived from pushed instance events.
import { describe, expect, it } from 'vitest';
import type { InstanceEvent } from '../../../shared/events.js';
import { ejectionOf, inPanic } from './ejection-state.js';

function event(fields: Partial<InstanceEvent>): InstanceEvent {
  return {
    kind: 'ejected',
    service: 'world',
    version: 'v1',
    instance: '127.0.0.1:7002',
    reason: '5 consecutive failures',
    at: 1_000,
    until: 31_000,
    ejections: 1,
    ...fields,
  };
}

describe('ejectionOf', () => {
  it('reports an instance ejected until its time runs out', () => {
    expect(ejectionOf([event({})], 'world', 'v1', '127.0.0.1:7002', 2_000)).toEqual({ until: 31_000, reason: '5 consecutive failures', ejections: 1 });
    expect(ejectionOf([event({})], 'world', 'v1', '127.0.0.1:7002', 31_000)).toBeNull();
  });

  it('lets the newest event decide, and ignores other instances', () => {
    const returned = event({ kind: 'returned', at: 5_000, until: null });
    expect(ejectionOf([returned, event({})], 'world', 'v1', '127.0.0.1:7002', 6_000)).toBeNull();
    expect(ejectionOf([event({ instance: '127.0.0.1:7003' })], 'world', 'v1', '127.0.0.1:7002', 2_000)).toBeNull();
  });

  it('finds a recent panic of the version', () => {
    const panic = event({ kind: 'panic', instance: '*', until: null, reason: 'every instance would be ejected' });
    expect(inPanic([panic], 'world', 'v1', 10_000)).toBe(panic);
    expect(inPanic([panic], 'world', 'v1', 60_000)).toBeNull();
  });
});
