/**
 * Saved filters in Web Storage: added, replaced by name, deleted, and whatever is in storage read
 * safely. The storage is an in-memory implementation of the two Storage methods used (vitest runs
 * in Node, which has no localStorage). Run: `npx vitest run renderer/src/requests/saved-filters.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { deleteFilter, loadSavedFilters, SAVED_FILTERS_KEY, saveFilter, type FilterStorage } from './saved-filters.js';

function memoryStorage(initial: Record<string, string> = {}): FilterStorage & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

describe('saved filters', () => {
  it('saves, replaces by name, sorts by name, deletes, and survives a reload', () => {
    const storage = memoryStorage();
    saveFilter(storage, { name: 'world errors', words: 'service=world errors ' });
    saveFilter(storage, { name: ' slow ', words: 'min=500ms' });
    expect(saveFilter(storage, { name: 'world errors', words: 'service=world status=5xx' })).toEqual([
      { name: 'slow', words: 'min=500ms' },
      { name: 'world errors', words: 'service=world status=5xx' },
    ]);
    // A new page reads the same list back.
    expect(loadSavedFilters(memoryStorage(Object.fromEntries(storage.items)))).toHaveLength(2);
    expect(deleteFilter(storage, 'slow')).toEqual([{ name: 'world errors', words: 'service=world status=5xx' }]);
  });

  it('reads broken or foreign storage as no saved filters', () => {
    expect(loadSavedFilters(memoryStorage({ [SAVED_FILTERS_KEY]: '{not json' }))).toEqual([]);
    expect(loadSavedFilters(memoryStorage({ [SAVED_FILTERS_KEY]: '[{"name":1}]' }))).toEqual([]);
    expect(loadSavedFilters(memoryStorage())).toEqual([]);
  });

  it('refuses a filter without a name', () => {
    expect(() => saveFilter(memoryStorage(), { name: '  ', words: 'errors' })).toThrow(/needs a name/);
  });
});
