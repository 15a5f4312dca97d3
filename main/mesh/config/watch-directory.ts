/**
 * Watches one directory (not a file) with fs.watch and reports which names in it changed, after the
 * burst of events a save makes has settled. Watching the directory is what makes editors' atomic
 * saves work: they write a temporary file and rename it over the original, which replaces the
 * inode a file watch would be holding, while the directory sees the rename. fs.watch is enough
 * here (no chokidar): we watch two flat directories, never trees, and use only "something about
 * this name changed", which every platform's fs.watch reports reliably; the reader re-reads the
 * file to learn what.
 *
 * Events are debounced (a save is truncate + write, or write + rename) but never for longer than
 * `maxWaitMs`, so a file rewritten continuously is still picked up promptly. The handle is not
 * persistent: a watcher alone never keeps the process alive.
 */
import { watch, type FSWatcher } from 'node:fs';

export interface DirectoryWatcherOptions {
  directory: string;
  /** Called with the names that changed; `null` in the set means "unknown, rescan everything". */
  onChange: (names: ReadonlySet<string | null>) => void;
  debounceMs?: number;
  maxWaitMs?: number;
}

export class DirectoryWatcher {
  private readonly options: Required<DirectoryWatcherOptions>;
  private watcher: FSWatcher | null = null;
  private pending = new Set<string | null>();
  private timer: NodeJS.Timeout | null = null;
  private firstPendingAt = 0;

  constructor(options: DirectoryWatcherOptions) {
    this.options = { debounceMs: 50, maxWaitMs: 250, ...options };
  }

  /** Starts watching; false when the directory does not exist (or cannot be watched) right now. */
  start(): boolean {
    if (this.watcher) return true;
    try {
      this.watcher = watch(this.options.directory, { persistent: false }, (_event, name) => this.record(name));
    } catch {
      return false;
    }
    // The directory itself went away (or the platform gave up on it): report "everything changed"
    // so the owner rescans, finds it missing and decides whether to watch again.
    this.watcher.on('error', () => {
      this.closeWatcher();
      this.record(null);
    });
    return true;
  }

  get watching(): boolean {
    return this.watcher !== null;
  }

  close(): void {
    this.closeWatcher();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  private closeWatcher(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  private record(name: string | Buffer | null): void {
    if (this.pending.size === 0) this.firstPendingAt = Date.now();
    this.pending.add(name === null ? null : String(name));
    if (this.timer) clearTimeout(this.timer);
    const waited = Date.now() - this.firstPendingAt;
    const delay = Math.max(0, Math.min(this.options.debounceMs, this.options.maxWaitMs - waited));
    this.timer = setTimeout(() => this.flush(), delay);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = null;
    const names = this.pending;
    this.pending = new Set();
    this.options.onChange(names);
  }
}
