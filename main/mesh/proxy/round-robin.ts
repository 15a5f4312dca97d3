/** Round-robin over a version's instances; the routing issue replaces it with peak-EWMA P2C. */
export class RoundRobin {
  private readonly next = new Map<string, number>();

  pick<T>(key: string, items: readonly T[]): T | undefined {
    if (items.length === 0) return undefined;
    const index = (this.next.get(key) ?? 0) % items.length;
    this.next.set(key, index + 1);
    return items[index];
  }
}
