/**
 * What one thread posts to the other, gathered for BATCH_MS and posted as one message: the shadow
 * copies to the copies' thread, and their answers back (threaded-copy-sender.ts, copy-worker.ts).
 */

/**
 * Each message wakes the other thread and clones its contents on its own; at 1,000 copies a second
 * one message per copy cost the callers' thread more than the copy's telemetry did. A copy is work
 * beside the callers, never in their way, so a few milliseconds more before it leaves or is
 * recorded change nothing.
 */
export const BATCH_MS = 5;

export class TimedBatch<T> {
  private items: T[] = [];
  /** The buffers the post moves rather than clones. */
  private moved: ArrayBuffer[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly post: (items: T[], moved: ArrayBuffer[]) => void) {}

  add(item: T, moved: readonly ArrayBuffer[] = []): void {
    this.items.push(item);
    this.moved.push(...moved);
    this.timer ??= setTimeout(this.flush, BATCH_MS);
  }

  /** Forgets what waits, unposted. */
  drop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.items = [];
    this.moved = [];
  }

  private readonly flush = (): void => {
    const { items, moved } = this;
    this.drop();
    this.post(items, moved);
  };
}
