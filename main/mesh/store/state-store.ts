/**
 * Persistence behind one small interface, so that the mesh never knows which store it has:
 * electron-store in the desktop app, its underlying `conf` headless, memory in tests. Implementations must write atomically and
 * synchronously, so that a value `set` returned from is on disk and a crash mid-write never leaves
 * a half-written file: an acknowledged change is never lost.
 */
export interface StateStore<State extends Record<string, unknown>> {
  get<Key extends keyof State & string>(key: Key): State[Key];
  set<Key extends keyof State & string>(key: Key, value: State[Key]): void;
}
