// The in-memory StateStore behaves like a file: what you stored or read is a copy.
// Run: npx vitest run main/mesh/store/memory-store.test.ts
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.js';

describe('MemoryStore', () => {
  it('copies values in and out', () => {
    const initial = { items: ['a'] };
    const store = new MemoryStore<{ items: string[] }>(initial);
    initial.items.push('changed after construction');
    const read = store.get('items');
    read.push('changed after get');
    expect(store.get('items')).toEqual(['a']);
    const written = ['b'];
    store.set('items', written);
    written.push('changed after set');
    expect(store.get('items')).toEqual(['b']);
  });
});
