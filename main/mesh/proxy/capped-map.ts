/**
 * Connections kept per upstream address, at most `cap`: beyond it the entry at the front goes, and
 * `retire` closes it. With `refreshOnUse` the front is the least recently used (for passthrough
 * hosts, which any client can name); without, the oldest, which spares the hot path a Map delete and
 * insert per request where the cap is a backstop, not a working-set bound (the instances of the
 * user's own services). Used for the HTTP/1.1 pools (upstream-pools.ts) and the HTTP/2 sessions
 * (h2/h2-upstreams.ts).
 */
export class CappedMap<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly cap: number,
    private readonly refreshOnUse: boolean,
    private readonly retire: (value: V) => void,
  ) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined && this.refreshOnUse) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** What is kept for `key`, without counting as a use. */
  peek(key: string): V | undefined {
    return this.entries.get(key);
  }

  /** Keeps `value` for `key`, retiring the one it replaces and, beyond the cap, the front one. */
  set(key: string, value: V): void {
    const replaced = this.entries.get(key);
    if (replaced !== undefined) {
      this.entries.delete(key);
      if (replaced !== value) this.retire(replaced);
    }
    while (this.entries.size >= this.cap) {
      const front = this.entries.entries().next();
      if (front.done) break;
      this.entries.delete(front.value[0]);
      this.retire(front.value[1]);
    }
    this.entries.set(key, value);
  }

  /** Forgets `key` without retiring it (its connection already closed). */
  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Empties the map and hands back everything it held, for the caller to close. */
  drain(): V[] {
    const values = [...this.entries.values()];
    this.entries.clear();
    return values;
  }
}
