/**
 * The headless StateStore: `conf`, the library electron-store is built on, so the app and
 * `meshdesk serve` keep state the same way. conf writes synchronously through `atomically`: the
 * new content goes to a temporary file in the same directory, is fsynced, then renamed over the old
 * one. So when `set` returns the value is on disk, and a crash at any moment (even SIGKILL halfway
 * through a write) leaves either the previous file or the new one, never a torn one.
 *
 * A file conf cannot read (hand-edited into invalid JSON) is neither thrown at the user nor
 * emptied (`clearInvalidConfig` stays off): it is renamed aside, kept for the user to inspect or
 * restore, a fresh store is opened, and `movedAside` says where the old one went.
 */
import { renameSync } from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import type { StateStore } from './state-store.js';

export interface ConfStoreOptions<State> {
  /** The directory of the store file. */
  directory: string;
  /** The file name without `.json` (default `state`). */
  name?: string;
  defaults: State;
}

export class ConfStore<State extends Record<string, unknown>> implements StateStore<State> {
  // Typed loosely inside: conf's generics model dot-notation paths we turned off, and the
  // StateStore interface is the typed surface.
  private readonly conf: Conf<Record<string, unknown>>;
  /** Where an unreadable store file was moved when this store opened, or null. */
  readonly movedAside: string | null = null;

  constructor(options: ConfStoreOptions<State>) {
    const open = () =>
      new Conf<Record<string, unknown>>({
        cwd: options.directory,
        configName: options.name ?? 'state',
        defaults: options.defaults,
        clearInvalidConfig: false,
        // Keys are flat names; dots in them are not paths into nested objects.
        accessPropertiesByDotNotation: false,
      });
    try {
      this.conf = open();
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'SyntaxError') throw error;
      const file = path.join(options.directory, `${options.name ?? 'state'}.json`);
      this.movedAside = `${file}.unreadable-${new Date().toISOString().replaceAll(':', '-')}`;
      renameSync(file, this.movedAside);
      this.conf = open();
    }
  }

  /** The file the state lives in, for messages and tests. */
  get path(): string {
    return this.conf.path;
  }

  get<Key extends keyof State & string>(key: Key): State[Key] {
    return this.conf.get(key) as State[Key];
  }

  set<Key extends keyof State & string>(key: Key, value: State[Key]): void {
    this.conf.set(key, value as unknown);
  }
}
