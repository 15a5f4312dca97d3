/** LiveValues (live-values.ts): only the components showing a changed value are told. Run: npx vitest run renderer/src/topology/live-values.test.ts */
import { describe, expect, it } from 'vitest';
import { LiveValues } from './live-values.js';

describe('live values', () => {
  it('tells only the listeners of keys whose value changed, and forgets keys no longer published', () => {
    const store = new LiveValues();
    const told: string[] = [];
    store.subscribe('a', () => told.push('a'));
    store.subscribe('b', () => told.push('b'));
    store.publish(
      new Map<string, string | number>([
        ['a', '1 rps'],
        ['b', 2],
      ]),
    );
    expect(told).toEqual(['a', 'b']);
    told.length = 0;
    store.publish(
      new Map<string, string | number>([
        ['a', '1 rps'],
        ['b', 2.5],
      ]),
    );
    expect(told).toEqual(['b']);
    store.publish(new Map<string, string | number>([['a', '1 rps']]));
    expect(store.get('b')).toBeUndefined();
  });

  it('stops telling a listener once it unsubscribed', () => {
    const store = new LiveValues();
    let calls = 0;
    const unsubscribe = store.subscribe('a', () => calls++);
    unsubscribe();
    store.publish(new Map([['a', 'x']]));
    expect(calls).toBe(0);
  });
});
