/**
 * Saved filters: named filter words the user keeps, in the browser's localStorage (or the
 * Electron window's, which persists with the app's profile). Stored as words rather than query
 * objects so a saved filter reads the same as what was typed and survives changes to the query's
 * shape. What comes back from storage is validated: another version of the app, or a hand edit,
 * must not break the page.
 */
import { z } from 'zod';

export interface SavedFilter {
  name: string;
  words: string;
}

/** The part of the Web Storage API used here. */
export type FilterStorage = Pick<Storage, 'getItem' | 'setItem'>;

export const SAVED_FILTERS_KEY = 'meshdesk.requests.saved-filters';

const savedSchema = z.array(z.object({ name: z.string().min(1), words: z.string() }));

export function loadSavedFilters(storage: FilterStorage): SavedFilter[] {
  try {
    const parsed = savedSchema.safeParse(JSON.parse(storage.getItem(SAVED_FILTERS_KEY) ?? '[]'));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Adds the filter, or replaces the one with the same name; returns the new list, sorted by name. */
export function saveFilter(storage: FilterStorage, filter: SavedFilter): SavedFilter[] {
  const name = filter.name.trim();
  if (!name) throw new Error('a saved filter needs a name');
  const list = loadSavedFilters(storage).filter((saved) => saved.name !== name);
  list.push({ name, words: filter.words.trim() });
  list.sort((a, b) => a.name.localeCompare(b.name));
  storage.setItem(SAVED_FILTERS_KEY, JSON.stringify(list));
  return list;
}

export function deleteFilter(storage: FilterStorage, name: string): SavedFilter[] {
  const list = loadSavedFilters(storage).filter((saved) => saved.name !== name);
  storage.setItem(SAVED_FILTERS_KEY, JSON.stringify(list));
  return list;
}
