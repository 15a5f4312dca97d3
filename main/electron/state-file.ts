/**
 * electron-store (or `conf`, which it extends) behind the StateStore interface, and opening such a
 * file without ever losing it. Persistence boundary: both libraries write synchronously and
 * atomically (temp file, fsync, rename), which is what StateStore promises. What they do not do
 * is survive a file they cannot read: with `clearInvalidConfig` off they throw, with it on they
 * empty the file. Neither is acceptable for the services a user registered, so a file that is not
 * valid JSON or fails the schema is renamed aside (kept for the user to inspect or restore) and a
 * fresh one is opened; the caller tells the user where the old one went.
 */
import { existsSync, renameSync } from 'node:fs';
import type { StateStore } from '../mesh/index.js';

/** The parts of electron-store / conf the adapter uses. */
export interface KeyValueFile<State extends Record<string, unknown>> {
  get<Key extends keyof State>(key: Key): State[Key];
  set<Key extends keyof State>(key: Key, value: State[Key]): void;
  readonly path: string;
}

export class KeyValueStateStore<State extends Record<string, unknown>> implements StateStore<State> {
  constructor(private readonly file: KeyValueFile<State>) {}

  get path(): string {
    return this.file.path;
  }

  get<Key extends keyof State & string>(key: Key): State[Key] {
    return this.file.get(key);
  }

  set<Key extends keyof State & string>(key: Key, value: State[Key]): void {
    this.file.set(key, value);
  }
}

export interface OpenedStateFile<Store> {
  store: Store;
  /** Where an unreadable file was moved, or null when the file opened as it was. */
  movedAside: string | null;
  /** Why it was moved aside. */
  problem: string | null;
}

/** Errors that mean "this file's content is unusable", as opposed to I/O or permission errors. */
export function isUnreadableContent(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'SyntaxError' || error.message.startsWith('Config schema violation');
}

export function openStateFile<Store>(open: () => Store, file: string, now: () => Date = () => new Date()): OpenedStateFile<Store> {
  try {
    return { store: open(), movedAside: null, problem: null };
  } catch (error) {
    if (!isUnreadableContent(error) || !existsSync(file)) throw error;
    const aside = `${file}.unreadable-${now().toISOString().replaceAll(':', '-')}`;
    renameSync(file, aside);
    return { store: open(), movedAside: aside, problem: (error as Error).message };
  }
}
