/**
 * The colour theme: it follows the operating system unless the user picked light or dark in the
 * settings. The choice is applied as `data-theme` on <html>, which theme.css turns into the same
 * CSS variables styles.css defines, so every page (and React Flow, via its colorMode) agrees.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { ThemeChoice } from './settings/settings-model.js';
import { useSettings } from './settings/use-settings.js';
import './theme.css';

export type ResolvedTheme = 'light' | 'dark';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function subscribeToOs(onChange: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

function osTheme(): ResolvedTheme {
  return window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

export function resolveTheme(choice: ThemeChoice, os: ResolvedTheme): ResolvedTheme {
  return choice === 'system' ? os : choice;
}

/** The theme in force, re-evaluated when the OS switches or the setting changes; applies it to <html>. */
export function useTheme(): ResolvedTheme {
  const [{ theme }] = useSettings();
  const os = useSyncExternalStore(subscribeToOs, osTheme, () => 'light' as const);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
  return resolveTheme(theme, os);
}
