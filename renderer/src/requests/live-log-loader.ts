/**
 * Feeds a LiveLog from the mesh: history from the admin API's log (queryLog, newest page first,
 * down to the log's capacity), then live rows from the push stream.
 *
 * The push stream carries events without headers, so a filter on headers or free text cannot be
 * decided in the view; for those, and whenever the stream says it dropped events or the connection
 * came back, the loader asks the mesh's log for what is newer than the newest row it has ("catch
 * up"), at most once per `catchUpEveryMs` and never two requests at once. Everything is tagged with
 * a generation: answers to a filter the user has since replaced are thrown away.
 */
import type { RequestEvent } from '../../../shared/events.js';
import type { LogPage } from '../../../shared/exchange.js';
import type { LogFilter } from '../../../shared/log-filter-words.js';
import type { LiveLog } from './live-log.js';
import { rowFromExchange, type LogRow } from './log-row.js';
import { compileRowFilter, needsCapture } from './row-filter.js';

/** A page of the mesh's log: the admin API's queryLog. */
export type PageQuery = LogFilter & { limit: number; before?: number };

export interface LogSource {
  query(input: PageQuery): Promise<LogPage>;
}

export interface LoaderOptions {
  pageSize?: number;
  catchUpEveryMs?: number;
  /** Told when loading fails (null when it works again), to show it. */
  onStatus?: (status: LoaderStatus) => void;
}

export interface LoaderStatus {
  loadingHistory: boolean;
  error: string | null;
}

export class LiveLogLoader {
  private generation = 0;
  private filter: LogFilter = {};
  private capture = false;
  private catchUpRunning = false;
  private catchUpAgain = false;
  private catchUpTimer: ReturnType<typeof setTimeout> | null = null;
  private lastCatchUp = 0;
  private status: LoaderStatus = { loadingHistory: false, error: null };
  private readonly pageSize: number;
  private readonly catchUpEveryMs: number;

  constructor(
    private readonly log: LiveLog,
    private readonly source: LogSource,
    private readonly options: LoaderOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 1_000;
    this.catchUpEveryMs = options.catchUpEveryMs ?? 1_000;
  }

  /** Shows `filter` from now on: clears the rows, loads history, follows the stream. */
  async start(filter: LogFilter): Promise<void> {
    const generation = ++this.generation;
    this.filter = filter;
    this.capture = needsCapture(filter);
    this.log.reset(compileRowFilter(filter), !this.capture);
    this.setStatus({ loadingHistory: true });
    try {
      await this.loadHistory(generation);
      if (generation === this.generation) this.setStatus({ loadingHistory: false, error: null });
    } catch (error) {
      if (generation === this.generation) this.setStatus({ loadingHistory: false, error: `Could not load the log: ${message(error)}` });
    }
  }

  /** One pushed batch. */
  pushed(events: readonly RequestEvent[], dropped: number): void {
    this.log.pushed(events, dropped);
    if (dropped > 0 || (this.capture && events.length > 0)) this.catchUp();
  }

  /** Asks the mesh for what is newer than the newest row: soon, once, whatever the number of calls. */
  catchUp(): void {
    if (this.catchUpRunning) {
      this.catchUpAgain = true;
      return;
    }
    if (this.catchUpTimer) return;
    const wait = Math.max(0, this.lastCatchUp + this.catchUpEveryMs - Date.now());
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = null;
      void this.runCatchUp();
    }, wait);
  }

  stop(): void {
    this.generation++;
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    this.catchUpTimer = null;
  }

  /** Every exchange the mesh's log holds for the current filter, newest first (for the HAR export). */
  async everyExchange(limit = this.log.capacity): Promise<LogPage['exchanges']> {
    const all: LogPage['exchanges'] = [];
    let before: number | undefined;
    for (;;) {
      const page = await this.source.query({ ...this.filter, limit: Math.min(this.pageSize, limit - all.length), ...(before === undefined ? {} : { before }) });
      all.push(...page.exchanges);
      if (page.nextBefore === null || all.length >= limit) return all;
      before = page.nextBefore;
    }
  }

  private async loadHistory(generation: number): Promise<void> {
    let before: number | undefined;
    let loaded = 0;
    while (generation === this.generation && loaded < this.log.capacity) {
      const page = await this.source.query({ ...this.filter, limit: this.pageSize, ...(before === undefined ? {} : { before }) });
      if (generation !== this.generation) return;
      this.log.history(page.exchanges.map(rowFromExchange));
      loaded += page.exchanges.length;
      if (page.nextBefore === null) return;
      before = page.nextBefore;
    }
  }

  private async runCatchUp(): Promise<void> {
    const generation = this.generation;
    this.catchUpRunning = true;
    this.lastCatchUp = Date.now();
    try {
      const newest = this.log.newestId;
      const rows: LogRow[] = [];
      let before: number | undefined;
      for (;;) {
        const page = await this.source.query({ ...this.filter, limit: this.pageSize, ...(before === undefined ? {} : { before }) });
        if (generation !== this.generation) return;
        const fresh = page.exchanges.filter((exchange) => newest === null || exchange.id > newest);
        rows.push(...fresh.map(rowFromExchange));
        const reachedKnown = fresh.length < page.exchanges.length;
        if (reachedKnown || newest === null || page.nextBefore === null || rows.length >= this.log.capacity) break;
        before = page.nextBefore;
      }
      this.log.incoming(rows);
      if (this.status.error) this.setStatus({ error: null });
    } catch (error) {
      if (generation === this.generation) this.setStatus({ error: `Could not load the newest requests: ${message(error)}` });
    } finally {
      this.catchUpRunning = false;
      if (this.catchUpAgain) {
        this.catchUpAgain = false;
        this.catchUp();
      }
    }
  }

  private setStatus(patch: Partial<LoaderStatus>): void {
    this.status = { ...this.status, ...patch };
    this.options.onStatus?.(this.status);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
