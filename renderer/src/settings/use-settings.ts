/**
 * The dashboard's preferences as a React hook. The store is the browser's localStorage itself, not
 * a module-level object: every component reads the same stored text through useSyncExternalStore,
 * and a change in one tab reaches the others through the `storage` event. Writes in this tab
 * dispatch a local event, because `storage` fires only in the other tabs.
 */
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { parseSettings, serializeSettings, SETTINGS_KEY, type Settings } from './settings-model.js';

const LOCAL_CHANGE = 'meshdesk-settings-change';

function readStored(): string | null {
  try {
    return window.localStorage.getItem(SETTINGS_KEY);
  } catch {
    return null; // storage disabled: the defaults apply and nothing persists
  }
}

function subscribe(onChange: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key === SETTINGS_KEY) onChange();
  };
  window.addEventListener('storage', onStorage);
  window.addEventListener(LOCAL_CHANGE, onChange);
  return () => {
    window.removeEventListener('storage', onStorage);
    window.removeEventListener(LOCAL_CHANGE, onChange);
  };
}

export function useSettings(): [Settings, (patch: Partial<Settings>) => void] {
  // The stored string is the snapshot: strings compare by value, so an unchanged store never re-renders.
  const raw = useSyncExternalStore(subscribe, readStored, () => null);
  const settings = useMemo(() => parseSettings(raw), [raw]);
  const update = useCallback((patch: Partial<Settings>) => {
    const next = { ...parseSettings(readStored()), ...patch };
    try {
      window.localStorage.setItem(SETTINGS_KEY, serializeSettings(next));
    } catch {
      return;
    }
    window.dispatchEvent(new Event(LOCAL_CHANGE));
  }, []);
  return [settings, update];
}
