/**
 * Round-robin over a version's instances; the routing issue replaces it with peak-EWMA P2C.
 * Counters are keyed by the registry's instance list itself (weakly), so the hot path builds no key
 * string and a list the registry has replaced is forgotten with it.
 */
export class RoundRobin {
  private readonly next = new WeakMap<object, number>();

  pick<T>(key: object, items: readonly T[]): T | undefined {
    if (items.length === 0) return undefined;
    const count = this.next.get(key) ?? 0;
    this.next.set(key, count + 1 >= Number.MAX_SAFE_INTEGER ? 0 : count + 1);
    return items[count % items.length];
  }
}
