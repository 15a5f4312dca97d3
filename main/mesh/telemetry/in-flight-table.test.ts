/**
 * InFlightTable against a Map: the same sets and takes, in random orders and at sizes that make it
 * grow and wrap its probe runs around the end, hold the same entries; what a take hands back is what
 * was set; an id set twice is one entry; ids not in flight are not found; the oldest is the smallest
 * id. Run: npx vitest run main/mesh/telemetry/in-flight-table.test.ts
 */
import { describe, expect, it } from 'vitest';
import { InFlightTable } from './in-flight-table.js';

/** A fixed pseudo-random sequence, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function taken(table: InFlightTable<string>, id: number): [string, string | null] | null {
  let got: [string, string | null] | null = null;
  table.take(id, (leaf, instance) => (got = [leaf, instance]));
  return got;
}

describe('InFlightTable', () => {
  it('hands back what each start set, once, and knows no other id', () => {
    const table = new InFlightTable<string>();
    table.set(1, 'leaf 1', 'instance 1');
    table.set(2, 'leaf 2', null);
    expect(table.size).toBe(2);
    expect(taken(table, 3)).toBeNull();
    expect(taken(table, 0)).toBeNull();
    expect(taken(table, 2)).toEqual(['leaf 2', null]);
    expect(taken(table, 2)).toBeNull();
    expect(taken(table, 1)).toEqual(['leaf 1', 'instance 1']);
    expect(table.size).toBe(0);
  });

  it('keeps one entry for an id set twice, with the later values', () => {
    const table = new InFlightTable<string>();
    table.set(7, 'first', null);
    table.set(7, 'second', 'instance');
    expect(table.size).toBe(1);
    expect(taken(table, 7)).toEqual(['second', 'instance']);
  });

  it('names the smallest id in flight as the oldest', () => {
    const table = new InFlightTable<string>();
    expect(table.oldest()).toBeNull();
    for (const id of [40, 12, 99, 13]) table.set(id, `leaf ${id}`, null);
    expect(table.oldest()).toBe(12);
    taken(table, 12);
    expect(table.oldest()).toBe(13);
  });

  it('holds what a Map holds through thousands of random starts and ends, growing as it fills', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = seeded(seed);
      const table = new InFlightTable<string>();
      const reference = new Map<number, [string, string | null]>();
      let nextId = 1;
      for (let step = 0; step < 20_000; step++) {
        // Phases that fill the table (up to ~1,500 in flight) and phases that drain it.
        const filling = Math.floor(step / 2_500) % 2 === 0;
        if (reference.size === 0 || random() < (filling ? 0.8 : 0.3)) {
          const id = nextId++;
          const values: [string, string | null] = [`leaf ${id}`, random() < 0.5 ? `instance ${id}` : null];
          table.set(id, ...values);
          reference.set(id, values);
        } else {
          // Ends come in any order: a random one of those in flight, or an id never started.
          const ids = [...reference.keys()];
          const id = random() < 0.1 ? nextId + 1_000 : (ids[Math.floor(random() * ids.length)] as number);
          expect(taken(table, id)).toEqual(reference.get(id) ?? null);
          reference.delete(id);
        }
        expect(table.size).toBe(reference.size);
      }
      for (const [id, values] of reference) expect(taken(table, id)).toEqual(values);
      expect(table.size).toBe(0);
    }
  });
});
