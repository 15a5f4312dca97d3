/**
 * The request log view's rows, kept outside React state: a bounded list, oldest first, fed by
 * pushed batches and by pages of the mesh's log, that tells the view to render at most a few times
 * a second however fast rows arrive.
 *
 * Why outside React: at thousands of requests a second, a setState per batch would re-render the
 * table ten times a second with copies of a 10,000-row array. Here rows are appended in place and
 * a version number changes; the view reads rows by index (it is virtualised, so it reads only the
 * few dozen on screen) and subscribes with useSyncExternalStore. Changes from the stream are
 * announced on a timer (`notifyEveryMs`); changes the user made (clear, pause, a new filter) at
 * once, so the interface answers without delay.
 *
 * Bounded: past `capacity` rows the oldest go (`evicted` counts them so a scrolled view can hold
 * its place); while paused, new rows wait in a buffer bounded the same way. Rows are ordered by
 * event id, which the proxy assigns in the order exchanges end, the same order as the push stream
 * and the mesh's log, so a page of history and live rows merge without duplicates or gaps.
 */
import type { RequestEvent } from '../../../shared/events.js';
import type { LogRow } from './log-row.js';
import type { RowPredicate } from './row-filter.js';

export interface LiveLogOptions {
  capacity?: number;
  notifyEveryMs?: number;
  /** Injected for tests; default setTimeout/clearTimeout. */
  timers?: { set: (callback: () => void, ms: number) => unknown; clear: (handle: unknown) => void };
}

export interface LiveLogCounters {
  /** Pushed events seen since the view opened, before filtering. */
  received: number;
  /** Events the mesh dropped from the push stream because this view fell behind. */
  droppedByStream: number;
  /** Rows that left the list because it was full (oldest first). */
  evicted: number;
  /** Rows that arrived while paused and are waiting (or were dropped: the buffer is bounded too). */
  waiting: number;
}

const DEFAULT_NOTIFY_EVERY_MS = 250;

export class LiveLog {
  readonly capacity: number;
  private rows: LogRow[] = [];
  private pending: LogRow[] = [];
  /** Ids in `pending`, and the newest of them: rows arrive out of id order. */
  private readonly pendingIds = new Set<number>();
  private pendingNewest = -Infinity;
  private pendingDropped = 0;
  private predicate: RowPredicate = () => true;
  private acceptPushed = true;
  private isPaused = false;
  private counts = { received: 0, droppedByStream: 0, evicted: 0 };
  private version = 0;
  private readonly listeners = new Set<() => void>();
  private timer: unknown = null;
  private readonly notifyEveryMs: number;
  private readonly timers: NonNullable<LiveLogOptions['timers']>;

  constructor(options: LiveLogOptions = {}) {
    this.capacity = Math.max(1, options.capacity ?? 10_000);
    this.notifyEveryMs = options.notifyEveryMs ?? DEFAULT_NOTIFY_EVERY_MS;
    this.timers = options.timers ?? {
      set: (callback, ms) => setTimeout(callback, ms),
      clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes whenever the rows or counters do; the snapshot for useSyncExternalStore. */
  getVersion = (): number => this.version;

  get length(): number {
    return this.rows.length;
  }

  at(index: number): LogRow | undefined {
    return this.rows[index];
  }

  indexOfId(id: number): number {
    // Ids are sorted: binary search.
    let low = 0;
    let high = this.rows.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const found = (this.rows[middle] as LogRow).id;
      if (found === id) return middle;
      if (found < id) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  /** The newest row's id, or null when empty (pending rows included: they are known). */
  get newestId(): number | null {
    const newest = Math.max(this.pendingNewest, this.rows.at(-1)?.id ?? -Infinity);
    return newest === -Infinity ? null : newest;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  get counters(): LiveLogCounters {
    return { ...this.counts, waiting: this.pending.length + this.pendingDropped };
  }

  /** Every row, oldest first (a copy); for tests and exports of what is on screen. */
  snapshot(): LogRow[] {
    return [...this.rows];
  }

  /**
   * Starts over for a new filter. `acceptPushed` false: pushed events cannot be judged here (the
   * filter needs headers), and rows come only through `incoming` from the mesh's answers.
   */
  reset(predicate: RowPredicate, acceptPushed: boolean): void {
    this.predicate = predicate;
    this.acceptPushed = acceptPushed;
    this.dropAll();
    this.changedNow();
  }

  /** One pushed batch. */
  pushed(events: readonly RequestEvent[], dropped: number): void {
    this.counts.received += events.length;
    this.counts.droppedByStream += dropped;
    if (this.acceptPushed) {
      const rows: LogRow[] = [];
      for (const event of events) if (this.predicate(event)) rows.push(event);
      if (rows.length > 0) this.incoming(rows);
    }
    if (dropped > 0) this.changedSoon();
  }

  /** New rows (pushed, or the newest of the mesh's log): they wait while paused. */
  incoming(rows: readonly LogRow[]): void {
    if (rows.length === 0) return;
    if (this.isPaused) {
      // Exchanges end out of id order (a slow one finishes after later ones), so a row older than
      // the newest may still be new: keep every row not shown yet.
      for (const row of rows) {
        if (this.pendingIds.has(row.id) || this.indexOfId(row.id) >= 0) continue;
        this.pending.push(row);
        this.pendingIds.add(row.id);
        this.pendingNewest = Math.max(this.pendingNewest, row.id);
      }
      const over = this.pending.length - this.capacity;
      if (over > 0) {
        for (const row of this.pending.splice(0, over)) this.pendingIds.delete(row.id);
        this.pendingDropped += over;
      }
    } else {
      this.insert(rows);
    }
    this.changedSoon();
  }

  /** Older rows from the mesh's log (history): shown even while paused, never ahead of newer ones. */
  history(rows: readonly LogRow[]): void {
    if (rows.length === 0) return;
    this.insert(rows);
    this.changedSoon();
  }

  clear(): void {
    this.dropAll();
    this.changedNow();
  }

  pause(): void {
    if (this.isPaused) return;
    this.isPaused = true;
    this.changedNow();
  }

  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    const waiting = this.pending;
    this.pending = [];
    this.pendingIds.clear();
    this.pendingNewest = -Infinity;
    this.pendingDropped = 0;
    this.insert(waiting);
    this.changedNow();
  }

  /** Stops the pending notification timer (the view unmounted). */
  dispose(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  private insert(rows: readonly LogRow[]): void {
    if (rows.length === 0) return;
    const sorted = [...rows].sort((a, b) => a.id - b.id);
    const newest = this.rows.at(-1)?.id ?? -Infinity;
    // The common case, pushed rows newer than all: append in place (no lookups, no copy of the list).
    if ((sorted[0] as LogRow).id > newest) this.rows.push(...uniqueSorted(sorted));
    else {
      // History or a catch-up overlapping what is shown: drop the ones held (binary search), merge.
      const fresh = uniqueSorted(sorted).filter((row) => this.indexOfId(row.id) < 0);
      if (fresh.length === 0) return;
      this.rows = mergeSorted(this.rows, fresh);
    }
    const over = this.rows.length - this.capacity;
    if (over > 0) {
      this.rows.splice(0, over);
      this.counts.evicted += over;
    }
  }

  private dropAll(): void {
    this.rows = [];
    this.pending = [];
    this.pendingIds.clear();
    this.pendingNewest = -Infinity;
    this.pendingDropped = 0;
  }

  private changedSoon(): void {
    this.version++;
    if (this.timer !== null) return;
    this.timer = this.timers.set(() => this.announce(), this.notifyEveryMs);
  }

  private changedNow(): void {
    this.version++;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.announce();
  }

  private announce(): void {
    this.timer = null;
    for (const listener of this.listeners) listener();
  }
}

/** Rows sorted by id, without repeats. */
function uniqueSorted(rows: LogRow[]): LogRow[] {
  return rows.filter((row, index) => index === 0 || row.id !== (rows[index - 1] as LogRow).id);
}

function mergeSorted(a: readonly LogRow[], b: readonly LogRow[]): LogRow[] {
  const merged: LogRow[] = new Array<LogRow>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) merged[k++] = (a[i] as LogRow).id < (b[j] as LogRow).id ? (a[i++] as LogRow) : (b[j++] as LogRow);
  while (i < a.length) merged[k++] = a[i++] as LogRow;
  while (j < b.length) merged[k++] = b[j++] as LogRow;
  return merged;
}
