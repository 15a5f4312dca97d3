/**
 * The headless StateStore: one JSON file, written whole through `atomically` (the library conf and
 * electron-store write with): the new content goes to a temporary file in the same directory, is
 * fsynced, then renamed over the old one. So when `set` returns the value is on disk, and a crash at
 * any moment (even SIGKILL halfway through a write) leaves either the previous file or the new one,
 * never a torn one. The file is tab-indented JSON, as conf writes it, so a state.json written by
 * earlier versions (which used conf) opens unchanged.
 *
 * Not conf itself: it loads ajv, ajv-formats and semver for schema validation, migrations and
 * dot-notation paths the mesh does not use, about 10 MB of the mesh's RSS from its start (README
 * Performance, issue 21). The desktop app keeps electron-store for its own state.
 *
 * The mesh is the file's only writer while it runs, so values are read from memory, each `get` a
 * copy (as conf's were: a caller that changes what it got does not change the store).
 *
 * A file that cannot be read (hand-edited into invalid JSON, or not an object) is neither thrown at
 * the user nor emptied: it is renamed aside, kept for the user to inspect or restore, a fresh store
 * is opened, and `movedAside` says where the old one went.
 */
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { writeFileSync } from 'atomically';
import type { StateStore } from './state-store.js';

export interface JsonFileStoreOptions<State> {
  /** The directory of the store file. */
  directory: string;
  /** The file name without `.json` (default `state`). */
  name?: string;
  defaults: State;
}

class UnreadableStore extends Error {}

export class JsonFileStore<State extends Record<string, unknown>> implements StateStore<State> {
  /** The file the state lives in, for messages and tests. */
  readonly path: string;
  /** Where an unreadable store file was moved when this store opened, or null. */
  readonly movedAside: string | null = null;
  private state: Record<string, unknown>;

  constructor(options: JsonFileStoreOptions<State>) {
    this.path = path.join(options.directory, `${options.name ?? 'state'}.json`);
    mkdirSync(options.directory, { recursive: true });
    let stored: Record<string, unknown> | null;
    try {
      stored = readStore(this.path);
    } catch (error) {
      if (!(error instanceof UnreadableStore)) throw error;
      this.movedAside = `${this.path}.unreadable-${new Date().toISOString().replaceAll(':', '-')}`;
      renameSync(this.path, this.movedAside);
      stored = null;
    }
    this.state = { ...options.defaults, ...stored };
    // Written at once when the defaults add to what was there, as conf did.
    if (stored === null || Object.keys(options.defaults).some((key) => !(key in stored))) this.write(this.state);
  }

  get<Key extends keyof State & string>(key: Key): State[Key] {
    return structuredClone(this.state[key]) as State[Key];
  }

  set<Key extends keyof State & string>(key: Key, value: State[Key]): void {
    this.write({ ...this.state, [key]: value });
  }

  /** Memory changes only once the disk has: a failed write (a full disk) leaves both as they were. */
  private write(next: Record<string, unknown>): void {
    const text = JSON.stringify(next, undefined, '\t');
    writeFileSync(this.path, text);
    // What was written, read back: memory holds what the file holds (no undefined, dates as strings).
    this.state = JSON.parse(text) as Record<string, unknown>;
  }
}

function readStore(file: string): Record<string, unknown> | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UnreadableStore(`${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UnreadableStore(`${file}: not a JSON object`);
  return parsed as Record<string, unknown>;
}
