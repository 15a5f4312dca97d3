/**
 * The StateStore for tests and for runs that must not touch the disk. Values are copied on the way
 * in and out, as a JSON round trip through a file would, so a caller that mutates what it stored
 * or read sees the same behaviour as with the real stores.
 */
import type { StateStore } from './state-store.js';

export class MemoryStore<State extends Record<string, unknown>> implements StateStore<State> {
  private readonly values: State;

  constructor(initial: State) {
    this.values = structuredClone(initial);
  }

  get<Key extends keyof State & string>(key: Key): State[Key] {
    return structuredClone(this.values[key]);
  }

  set<Key extends keyof State & string>(key: Key, value: State[Key]): void {
    this.values[key] = structuredClone(value);
  }
}
