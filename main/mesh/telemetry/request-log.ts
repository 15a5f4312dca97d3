/**
 * The request log: the last `capacity` exchanges (default 10,000) in a ring, queried newest first.
 *
 * Bounded in count and in bytes. The ring keeps the proxy's event object itself (no copy) in
 * preallocated parallel arrays, so a full log stops growing: adding an exchange overwrites the oldest.
 * Captured bodies are what could still grow it (64 KiB per direction × 10,000 is over a gigabyte), so
 * they share a byte budget: past it, the oldest entries lose their bodies (`bodiesDropped`) and keep
 * the rest. Secret headers are kept in memory only, and masked on every way out (exchange-capture.ts)
 * unless one exchange is explicitly revealed to the signed-in user: the log, the push stream, HAR
 * exports and the CLI never carry them.
 *
 * Each entry has a `seq`, increasing, its position in the log: pages are asked for with `before`, so
 * paging stays stable while new exchanges arrive.
 */
import type { RequestEvent } from '../../../shared/events.js';
import type { RawHeaders } from '../../../shared/exchange.js';
import {
  DEFAULT_BODY_CAPTURE_BYTES,
  DEFAULT_LOG_CAPACITY,
  DEFAULT_MASKED_HEADERS,
  type Exchange,
  type ExchangeCapture,
  type LogPage,
  type LogQuery,
} from '../../../shared/exchange.js';
import { boundedCapture, capturedBytes, headerPairs, maskHeaders, wireBody, type CapturePolicy } from './exchange-capture.js';
import { compileFilter } from '../../../shared/log-filter.js';

export interface RequestLogOptions {
  capacity?: number;
  /** Bytes kept of each body, per direction. */
  bodyCaptureBytes?: number;
  /** Header names whose values are masked; [] masks nothing. */
  maskedHeaders?: readonly string[];
  /** Bytes of captured bodies the whole log may hold. */
  bodyBudgetBytes?: number;
}

export const DEFAULT_BODY_BUDGET_BYTES = 32 * 1024 * 1024;
const DEFAULT_PAGE = 100;

export class RequestLog {
  readonly capacity: number;
  private readonly events: (RequestEvent | undefined)[];
  private readonly captures: (ExchangeCapture | null)[];
  private readonly failed: Uint8Array;
  private readonly dropped: Uint8Array;
  private readonly policy: CapturePolicy;
  private readonly bodyBudget: number;
  /** The seq the next exchange gets; also how many were ever added. */
  private nextSeq = 0;
  private bodyBytes = 0;
  /** Bodies of entries before this seq have been dropped or evicted already. */
  private trimmedBefore = 0;
  /** Entries before this seq were cleared; seqs keep counting, so pages asked for later stay right. */
  private clearedBefore = 0;

  constructor(options: RequestLogOptions = {}) {
    this.capacity = Math.max(1, options.capacity ?? DEFAULT_LOG_CAPACITY);
    this.events = new Array<RequestEvent | undefined>(this.capacity).fill(undefined);
    this.captures = new Array<ExchangeCapture | null>(this.capacity).fill(null);
    this.failed = new Uint8Array(this.capacity);
    this.dropped = new Uint8Array(this.capacity);
    this.policy = {
      bodyLimit: options.bodyCaptureBytes ?? DEFAULT_BODY_CAPTURE_BYTES,
      masked: new Set((options.maskedHeaders ?? DEFAULT_MASKED_HEADERS).map((name) => name.toLowerCase())),
    };
    this.bodyBudget = options.bodyBudgetBytes ?? DEFAULT_BODY_BUDGET_BYTES;
  }

  get held(): number {
    return this.nextSeq - this.oldestSeq;
  }

  /** Stores an exchange and returns its seq. `capture` is absent until the proxy captures. */
  add(event: RequestEvent, failed: boolean, capture?: ExchangeCapture | null): number {
    const seq = this.nextSeq++;
    const slot = seq % this.capacity;
    this.bodyBytes -= capturedBytes(this.captures[slot]);
    const kept = capture ? boundedCapture(capture, this.policy) : null;
    this.events[slot] = event;
    this.captures[slot] = kept;
    this.failed[slot] = failed ? 1 : 0;
    this.dropped[slot] = 0;
    this.bodyBytes += capturedBytes(kept);
    if (this.bodyBytes > this.bodyBudget) this.trimBodies();
    return seq;
  }

  /** One exchange by seq, while the log still holds it. */
  get(seq: number): Exchange | null {
    return this.holds(seq) ? this.exchange(seq) : null;
  }

  /**
   * One exchange by its event id, while the log still holds it (a scan: for a detail view, not a
   * loop). `reveal` shows the masked headers' real values, for the user who asked to see them.
   */
  findById(id: number, reveal = false): Exchange | null {
    for (let seq = this.nextSeq - 1; seq >= this.oldestSeq; seq--) {
      if (this.events[seq % this.capacity]?.id === id) return this.exchange(seq, reveal);
    }
    return null;
  }

  /** Forgets every exchange held; returns how many that was. */
  clear(): number {
    const cleared = this.held;
    this.clearedBefore = this.nextSeq;
    this.trimmedBefore = this.nextSeq;
    this.events.fill(undefined);
    this.captures.fill(null);
    this.bodyBytes = 0;
    return cleared;
  }

  /** Newest first, after `before` if given; `limit` (default 100) per page. */
  query(query: Partial<LogQuery> = {}): LogPage {
    const matches = compileFilter(query);
    const limit = query.limit ?? DEFAULT_PAGE;
    const oldest = this.oldestSeq;
    const from = Math.min(this.nextSeq, query.before ?? this.nextSeq) - 1;
    const exchanges: Exchange[] = [];
    let seq = from;
    for (; seq >= oldest && exchanges.length < limit; seq--) {
      const slot = seq % this.capacity;
      if (matches(this.events[slot] as RequestEvent, this.failed[slot] === 1, this.captures[slot])) exchanges.push(this.exchange(seq));
    }
    const more = exchanges.length === limit && seq >= oldest;
    return { exchanges, nextBefore: more ? seq + 1 : null, held: this.held, capacity: this.capacity };
  }

  private get oldestSeq(): number {
    return Math.max(0, this.nextSeq - this.capacity, this.clearedBefore);
  }

  private holds(seq: number): boolean {
    return Number.isInteger(seq) && seq >= this.oldestSeq && seq < this.nextSeq;
  }

  private exchange(seq: number, reveal = false): Exchange {
    const slot = seq % this.capacity;
    const capture = this.captures[slot];
    const shown = (headers: RawHeaders | null | undefined) => headerPairs(headers ? (reveal ? headers : maskHeaders(headers, this.policy.masked)) : null);
    return {
      ...(this.events[slot] as RequestEvent),
      seq,
      failed: this.failed[slot] === 1,
      requestHeaders: shown(capture?.requestHeaders),
      responseHeaders: shown(capture?.responseHeaders),
      requestBody: wireBody(capture?.requestBody ?? null),
      responseBody: wireBody(capture?.responseBody ?? null),
      bodiesDropped: this.dropped[slot] === 1,
    };
  }

  /** Drops bodies oldest first until the log is back within its budget (amortised: each entry once). */
  private trimBodies(): void {
    this.trimmedBefore = Math.max(this.trimmedBefore, this.oldestSeq);
    while (this.bodyBytes > this.bodyBudget && this.trimmedBefore < this.nextSeq) {
      const slot = this.trimmedBefore++ % this.capacity;
      const capture = this.captures[slot];
      const bytes = capturedBytes(capture);
      if (!capture || bytes === 0) continue;
      this.captures[slot] = { ...capture, requestBody: null, responseBody: null };
      this.dropped[slot] = 1;
      this.bodyBytes -= bytes;
    }
  }
}
