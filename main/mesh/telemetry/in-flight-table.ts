/**
 * The requests in flight, by event id: what each start incremented (its leaf series and its
 * instance's), for its end to undo. An open-addressing hash table (linear probing, deletion by
 * shifting the entries after it back) in flat arrays, so that a request's start and end allocate
 * nothing. The obvious Map did, on every request: V8 gives a Map a new, smaller table when a delete
 * leaves it under a quarter full, so one emptied by each end and refilled by the next start made a
 * table (and the other Map another) per request, about 300 bytes that outlived a young collection
 * at once, the Map being old (a sampling heap profile of what survives scavenges put it at 304 of
 * 590 bytes a request at one connection).
 *
 * Grows by doubling past half full and never shrinks: it stays the size of the most requests ever
 * in flight at once (24 bytes a slot).
 */
const EMPTY = 0;
const INITIAL_CAPACITY = 64;

export class InFlightTable<T> {
  private ids = new Float64Array(INITIAL_CAPACITY);
  private leaves: (T | undefined)[] = new Array<T | undefined>(INITIAL_CAPACITY).fill(undefined);
  private instances: (T | null | undefined)[] = new Array<T | null | undefined>(INITIAL_CAPACITY).fill(undefined);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Ids are the bus's, from 1; an id of 0 or below is not tracked. */
  set(id: number, leaf: T, instance: T | null): void {
    if (id <= EMPTY) return;
    if ((this.count + 1) * 2 > this.ids.length) this.grow();
    const slot = this.find(id);
    if (this.ids[slot] === EMPTY) this.count++;
    this.ids[slot] = id;
    this.leaves[slot] = leaf;
    this.instances[slot] = instance;
  }

  /** Removes the request and hands what it held to `release`; false when it was not in flight. */
  take(id: number, release: (leaf: T, instance: T | null) => void): boolean {
    if (id <= EMPTY) return false;
    const slot = this.find(id);
    if (this.ids[slot] === EMPTY) return false;
    const leaf = this.leaves[slot] as T;
    const instance = this.instances[slot] ?? null;
    this.remove(slot);
    release(leaf, instance);
    return true;
  }

  /** The smallest id in flight (the oldest request), or null. A scan: for the cap, not the hot path. */
  oldest(): number | null {
    let oldest: number | null = null;
    for (const id of this.ids) if (id !== EMPTY && (oldest === null || id < oldest)) oldest = id;
    return oldest;
  }

  /** The slot holding `id`, or the empty slot where it would go. */
  private find(id: number): number {
    const mask = this.ids.length - 1;
    let slot = this.home(id);
    while (this.ids[slot] !== EMPTY && this.ids[slot] !== id) slot = (slot + 1) & mask;
    return slot;
  }

  /** Fibonacci hashing: consecutive ids (the usual case) land far apart, so probe runs stay short. */
  private home(id: number): number {
    return (Math.imul(id | 0, 0x9e3779b1) >>> 0) & (this.ids.length - 1);
  }

  /** Empties `slot`, moving back each entry of its run that would no longer be found past the gap. */
  private remove(slot: number): void {
    const { ids, leaves, instances } = this;
    const mask = ids.length - 1;
    let gap = slot;
    let next = (gap + 1) & mask;
    while (ids[next] !== EMPTY) {
      const home = this.home(ids[next] as number);
      // The entry may move into the gap unless its home lies cyclically after the gap, up to itself.
      const stays = gap <= next ? home > gap && home <= next : home > gap || home <= next;
      if (!stays) {
        ids[gap] = ids[next] as number;
        leaves[gap] = leaves[next];
        instances[gap] = instances[next];
        gap = next;
      }
      next = (next + 1) & mask;
    }
    ids[gap] = EMPTY;
    leaves[gap] = undefined;
    instances[gap] = undefined;
    this.count--;
  }

  private grow(): void {
    const { ids, leaves, instances } = this;
    const capacity = ids.length * 2;
    this.ids = new Float64Array(capacity);
    this.leaves = new Array<T | undefined>(capacity).fill(undefined);
    this.instances = new Array<T | null | undefined>(capacity).fill(undefined);
    this.count = 0;
    for (let slot = 0; slot < ids.length; slot++) {
      const id = ids[slot] as number;
      if (id !== EMPTY) this.set(id, leaves[slot] as T, instances[slot] ?? null);
    }
  }
}
