/**
 * The request log: the last `capacity` exchanges (default 10,000) in a ring, queried newest first.
 *
 * Bounded in count and in bytes, and laid out so that logging an exchange allocates next to nothing
 * that lives on. The recorded event object is not kept: its fields are copied into preallocated
 * columns (typed arrays for numbers, arrays of references for the strings, which are mostly the
 * route's own), and what is read only when someone opens one exchange — headers, attempts, the
 * decision trace — goes into a ring of bytes as JSON, with the captured bodies in a second ring.
 * The event and its capture then die young, and a busy proxy does not promote 10,000 object graphs
 * into V8's old space (which is what used to drive its RSS up; see the README's memory figures).
 *
 * The rings grow on demand up to their budgets; past a budget the oldest exchanges lose their
 * details or bodies (`bodiesDropped`) and keep the rest. Secret headers are kept in memory only,
 * and masked on every way out (exchange-capture.ts) unless one exchange is explicitly revealed to
 * the signed-in user: the log, the push stream, HAR exports and the CLI never carry them.
 *
 * Each entry has a `seq`, increasing, its position in the log: pages are asked for with `before`, so
 * paging stays stable while new exchanges arrive.
 */
import type { DecisionStep, RequestAttempt, RequestEvent, RequestFlag, TrafficKind } from '../../../shared/events.js';
import type { CapturedBody, ExchangeCapture, RawHeaders } from '../../../shared/exchange.js';
import {
  DEFAULT_BODY_CAPTURE_BYTES,
  DEFAULT_LOG_CAPACITY,
  DEFAULT_MASKED_HEADERS,
  type Exchange,
  type LogPage,
  type LogQuery,
} from '../../../shared/exchange.js';
import { compileFilter, needsCapture } from '../../../shared/log-filter.js';
import { CallColumns } from './call-columns.js';
import { ByteRing } from './byte-ring.js';
import { headerPairs, limitBody, maskHeaders, wireBody } from './exchange-capture.js';

export interface RequestLogOptions {
  capacity?: number;
  /** Bytes kept of each body, per direction; 0 keeps no bodies. */
  bodyCaptureBytes?: number;
  /** Header names whose values are masked; [] masks nothing. */
  maskedHeaders?: readonly string[];
  /** Bytes of captured bodies the whole log may hold. */
  bodyBudgetBytes?: number;
  /** Bytes of headers, attempts and decision traces the whole log may hold. */
  detailBudgetBytes?: number;
}

export const DEFAULT_BODY_BUDGET_BYTES = 32 * 1024 * 1024;
export const DEFAULT_DETAIL_BUDGET_BYTES = 16 * 1024 * 1024;
/** A detail record larger than this (headers of hundreds of kilobytes) is not kept. */
const LARGEST_DETAIL_BYTES = 256 * 1024;
const DEFAULT_PAGE = 100;

/** What an exchange's detail record holds, under short keys (the record is JSON in a byte ring). */
interface DetailRecord {
  a?: RequestAttempt[];
  f?: RequestFlag[];
  d?: DecisionStep[];
  /** Request and response headers, raw: [name, value, …]. */
  q?: RawHeaders | null;
  s?: RawHeaders | null;
}

/** Where the oldest entry that stays has its record: the ring keeps from there (NaN: lost, keep all). */
function wantedFrom(starts: Float64Array, keptSlot: number): number {
  if (keptSlot === -1) return Infinity;
  const start = starts[keptSlot] as number;
  return Number.isNaN(start) ? -Infinity : start;
}

const TRUNCATED_REQUEST = 1;
const TRUNCATED_RESPONSE = 2;

export class RequestLog {
  readonly capacity: number;
  private readonly bodyLimit: number;
  private readonly masked: ReadonlySet<string>;

  // One column per event field; `NaN` stands for null in the number columns.
  private readonly id: Float64Array;
  private readonly kind: TrafficKind[];
  private readonly caller: string[];
  private readonly service: string[];
  private readonly version: (string | null)[];
  private readonly instance: (string | null)[];
  private readonly method: string[];
  private readonly path: string[];
  private readonly error: (string | null)[];
  private readonly status: Int32Array;
  private readonly startedAt: Float64Array;
  private readonly dispatched: Float64Array;
  /** NaN also when the event had no `connected` (not a forwarded request): read back as absent. */
  private readonly connected: Float64Array;
  private readonly firstByte: Float64Array;
  private readonly end: Float64Array;
  private readonly bytesIn: Float64Array;
  private readonly bytesOut: Float64Array;
  private readonly failed: Uint8Array;
  private readonly retries: Uint32Array;
  /** What an HTTP/2 call and a gRPC call carry besides. */
  private readonly calls: CallColumns;

  // Where each entry's detail record and bodies are in their rings; body sizes are -1 when none.
  private readonly details: ByteRing;
  private readonly detailStart: Float64Array;
  private readonly detailLength: Uint32Array;
  private readonly bodies: ByteRing;
  private readonly bodyStart: Float64Array;
  private readonly requestBodyKept: Uint32Array;
  private readonly responseBodyKept: Uint32Array;
  private readonly requestBodySize: Float64Array;
  private readonly responseBodySize: Float64Array;
  private readonly truncated: Uint8Array;

  /** The seq the next exchange gets; also how many were ever added. */
  private nextSeq = 0;
  /** Entries before this seq were cleared; seqs keep counting, so pages asked for later stay right. */
  private clearedBefore = 0;

  constructor(options: RequestLogOptions = {}) {
    const capacity = Math.max(1, options.capacity ?? DEFAULT_LOG_CAPACITY);
    this.capacity = capacity;
    this.bodyLimit = options.bodyCaptureBytes ?? DEFAULT_BODY_CAPTURE_BYTES;
    this.masked = new Set((options.maskedHeaders ?? DEFAULT_MASKED_HEADERS).map((name) => name.toLowerCase()));
    const strings = <T>(fill: T) => new Array<T>(capacity).fill(fill);
    this.id = new Float64Array(capacity);
    this.kind = strings<TrafficKind>('service');
    this.caller = strings('');
    this.service = strings('');
    this.version = strings<string | null>(null);
    this.instance = strings<string | null>(null);
    this.method = strings('');
    this.path = strings('');
    this.error = strings<string | null>(null);
    this.status = new Int32Array(capacity);
    this.startedAt = new Float64Array(capacity);
    this.dispatched = new Float64Array(capacity);
    this.connected = new Float64Array(capacity);
    this.firstByte = new Float64Array(capacity);
    this.end = new Float64Array(capacity);
    this.bytesIn = new Float64Array(capacity);
    this.bytesOut = new Float64Array(capacity);
    this.failed = new Uint8Array(capacity);
    this.retries = new Uint32Array(capacity);
    this.calls = new CallColumns(capacity);
    this.details = new ByteRing(options.detailBudgetBytes ?? DEFAULT_DETAIL_BUDGET_BYTES, LARGEST_DETAIL_BYTES);
    this.detailStart = new Float64Array(capacity);
    this.detailLength = new Uint32Array(capacity);
    // A chunk holds one exchange's two bodies at their largest.
    this.bodies = new ByteRing(options.bodyBudgetBytes ?? DEFAULT_BODY_BUDGET_BYTES, 2 * Math.max(1, this.bodyLimit));
    this.bodyStart = new Float64Array(capacity);
    this.requestBodyKept = new Uint32Array(capacity);
    this.responseBodyKept = new Uint32Array(capacity);
    this.requestBodySize = new Float64Array(capacity);
    this.responseBodySize = new Float64Array(capacity);
    this.truncated = new Uint8Array(capacity);
  }

  get held(): number {
    return this.nextSeq - this.oldestSeq;
  }

  /** Stores an exchange and returns its seq. `capture` is absent until the proxy captures. */
  add(event: RequestEvent, capture?: ExchangeCapture | null): number {
    const seq = this.nextSeq;
    const slot = seq % this.capacity;
    // The oldest entry that stays once this one is in: its records are the ones the rings keep.
    const oldestKept = Math.max(this.clearedBefore, seq + 1 - this.capacity);
    const keptSlot = oldestKept < seq ? oldestKept % this.capacity : -1;
    this.id[slot] = event.id;
    this.kind[slot] = event.kind;
    this.caller[slot] = event.caller;
    this.service[slot] = event.service;
    this.version[slot] = event.version;
    this.instance[slot] = event.instance;
    this.method[slot] = event.method;
    this.path[slot] = event.path;
    this.error[slot] = event.error;
    this.status[slot] = event.status;
    this.startedAt[slot] = event.startedAt;
    this.dispatched[slot] = event.timings.dispatched ?? NaN;
    this.connected[slot] = event.timings.connected ?? NaN;
    this.firstByte[slot] = event.timings.firstByte ?? NaN;
    this.end[slot] = event.timings.end;
    this.bytesIn[slot] = event.bytesIn;
    this.bytesOut[slot] = event.bytesOut;
    this.failed[slot] = event.failed ? 1 : 0;
    this.retries[slot] = event.retries;
    this.calls.set(slot, event);
    this.storeDetail(slot, event, capture, wantedFrom(this.detailStart, keptSlot));
    this.storeBodies(slot, capture, wantedFrom(this.bodyStart, keptSlot));
    this.nextSeq++;
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
      if (this.id[seq % this.capacity] === id) return this.exchange(seq, reveal);
    }
    return null;
  }

  /** Forgets every exchange held; returns how many that was. */
  clear(): number {
    const cleared = this.held;
    this.clearedBefore = this.nextSeq;
    this.path.fill('');
    this.error.fill(null);
    this.details.clear();
    this.bodies.clear();
    return cleared;
  }

  /** Newest first, after `before` if given; `limit` (default 100) per page. */
  query(query: Partial<LogQuery> = {}): LogPage {
    const matches = compileFilter(query);
    const withHeaders = needsCapture(query);
    const limit = query.limit ?? DEFAULT_PAGE;
    const oldest = this.oldestSeq;
    const from = Math.min(this.nextSeq, query.before ?? this.nextSeq) - 1;
    const exchanges: Exchange[] = [];
    let seq = from;
    for (; seq >= oldest && exchanges.length < limit; seq--) {
      const slot = seq % this.capacity;
      // What the filter decoded is what the page shows: each row's event and detail are read once.
      const event = this.event(slot);
      const detail = withHeaders ? this.detail(slot) : undefined;
      const capture = detail && { requestHeaders: detail.q ?? null, responseHeaders: detail.s ?? null, requestBody: null, responseBody: null };
      if (matches(event, event.failed, capture)) exchanges.push(this.exchange(seq, false, event, detail));
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

  /**
   * The detail record: JSON, then, when the response headers came as bytes, a NUL and those bytes
   * as `name NUL value NUL …` (JSON text never holds a raw NUL, nor do header names or values).
   */
  private storeDetail(slot: number, event: RequestEvent, capture: ExchangeCapture | null | undefined, wantedFrom: number): void {
    const rawHeaders = capture?.responseHeaderBytes ?? null;
    const record: DetailRecord = { a: event.attempts, f: event.flags, d: event.decision, q: capture?.requestHeaders, s: capture?.responseHeaders };
    const json = JSON.stringify(record);
    let rawBytes = 0;
    if (rawHeaders !== null) for (const part of rawHeaders) rawBytes += part.length + 1;
    if (json === '{}' && rawHeaders === null) {
      this.detailLength[slot] = 0;
      return;
    }
    // A UTF-8 byte per UTF-16 unit is the common case and three the most; counted exactly only
    // when the worst case would not fit.
    const jsonMost = json.length * 3 <= LARGEST_DETAIL_BYTES ? json.length * 3 : Buffer.byteLength(json);
    const most = jsonMost + (rawHeaders === null ? 0 : 1 + rawBytes);
    const room = most <= LARGEST_DETAIL_BYTES ? this.details.reserve(most, wantedFrom) : null;
    // Too large to keep: stored as a record that is already gone.
    if (room === null) {
      this.detailStart[slot] = NaN;
      this.detailLength[slot] = most;
      return;
    }
    const { buffer } = room;
    let at = room.offset + buffer.write(json, room.offset, jsonMost, 'utf8');
    if (rawHeaders !== null) {
      buffer[at++] = 0;
      for (const part of rawHeaders) {
        buffer.set(part, at);
        at += part.length;
        buffer[at++] = 0;
      }
    }
    this.detailStart[slot] = this.details.commit(at - room.offset);
    this.detailLength[slot] = at - room.offset;
  }

  private storeBodies(slot: number, capture: ExchangeCapture | null | undefined, wantedFrom: number): void {
    // A limit of 0 turns body capture off: no body at all, rather than an empty one cut short.
    const keep = this.bodyLimit > 0;
    const request = keep && capture?.requestBody ? limitBody(capture.requestBody, this.bodyLimit) : null;
    const response = keep && capture?.responseBody ? limitBody(capture.responseBody, this.bodyLimit) : null;
    const requestKept = request?.bytes.length ?? 0;
    const responseKept = response?.bytes.length ?? 0;
    const room = requestKept + responseKept > 0 ? this.bodies.reserve(requestKept + responseKept, wantedFrom) : null;
    if (room) {
      if (request) room.buffer.set(request.bytes, room.offset);
      if (response) room.buffer.set(response.bytes, room.offset + requestKept);
    }
    // Bodies too large for the whole budget are stored as bytes that are already gone.
    this.bodyStart[slot] = room || requestKept + responseKept === 0 ? this.bodies.commit(room ? requestKept + responseKept : 0) : NaN;
    this.requestBodyKept[slot] = requestKept;
    this.responseBodyKept[slot] = responseKept;
    this.requestBodySize[slot] = request?.size ?? -1;
    this.responseBodySize[slot] = response?.size ?? -1;
    this.truncated[slot] = (request?.truncated ? TRUNCATED_REQUEST : 0) | (response?.truncated ? TRUNCATED_RESPONSE : 0);
  }

  /** The entry's detail record; null when it had none or the ring has dropped it. */
  private detail(slot: number): DetailRecord | null {
    const length = this.detailLength[slot] as number;
    if (length === 0) return null;
    const bytes = this.details.view(this.detailStart[slot] as number, length);
    if (bytes === null) return null;
    const end = bytes.indexOf(0);
    const record = JSON.parse(bytes.toString('utf8', 0, end === -1 ? bytes.length : end)) as DetailRecord;
    // The response headers' bytes, `name NUL value NUL …`; the last NUL ends the last value.
    if (end !== -1) record.s = end + 1 < bytes.length ? bytes.toString('latin1', end + 1, bytes.length - 1).split('\0') : [];
    return record;
  }

  private event(slot: number): RequestEvent {
    const orNull = (value: number) => (Number.isNaN(value) ? null : value);
    return {
      id: this.id[slot] as number,
      kind: this.kind[slot] as TrafficKind,
      caller: this.caller[slot] as string,
      service: this.service[slot] as string,
      version: this.version[slot] as string | null,
      instance: this.instance[slot] as string | null,
      method: this.method[slot] as string,
      path: this.path[slot] as string,
      status: this.status[slot] as number,
      startedAt: this.startedAt[slot] as number,
      timings: {
        dispatched: orNull(this.dispatched[slot] as number),
        ...(Number.isNaN(this.connected[slot]) ? {} : { connected: this.connected[slot] as number }),
        firstByte: orNull(this.firstByte[slot] as number),
        end: this.end[slot] as number,
      },
      bytesIn: this.bytesIn[slot] as number,
      bytesOut: this.bytesOut[slot] as number,
      error: this.error[slot] as string | null,
      failed: this.failed[slot] === 1,
      retries: this.retries[slot] as number,
      ...this.calls.get(slot),
    };
  }

  /** `event` and `detail` when the caller has read them already (undefined: not read yet). */
  private exchange(seq: number, reveal = false, event = this.event(seq % this.capacity), read?: DetailRecord | null): Exchange {
    const slot = seq % this.capacity;
    const detail = read === undefined ? this.detail(slot) : read;
    const detailDropped = detail === null && this.detailLength[slot] !== 0;
    const bodies = this.capturedBodies(slot);
    const shown = (headers: RawHeaders | null | undefined) => headerPairs(headers ? (reveal ? headers : maskHeaders(headers, this.masked)) : null);
    if (detail?.a !== undefined) event.attempts = detail.a;
    if (detail?.f !== undefined) event.flags = detail.f;
    if (detail?.d !== undefined) event.decision = detail.d;
    return {
      ...event,
      seq,
      requestHeaders: shown(detail?.q),
      responseHeaders: shown(detail?.s),
      requestBody: wireBody(bodies.request),
      responseBody: wireBody(bodies.response),
      bodiesDropped: detailDropped || bodies.dropped,
    };
  }

  private capturedBodies(slot: number): { request: CapturedBody | null; response: CapturedBody | null; dropped: boolean } {
    const requestSize = this.requestBodySize[slot] as number;
    const responseSize = this.responseBodySize[slot] as number;
    if (requestSize < 0 && responseSize < 0) return { request: null, response: null, dropped: false };
    const requestKept = this.requestBodyKept[slot] as number;
    const responseKept = this.responseBodyKept[slot] as number;
    const hadBytes = requestKept + responseKept > 0;
    const bytes = hadBytes ? this.bodies.view(this.bodyStart[slot] as number, requestKept + responseKept) : null;
    if (hadBytes && bytes === null) return { request: null, response: null, dropped: true };
    const truncated = this.truncated[slot] as number;
    const body = (size: number, from: number, kept: number, cut: number): CapturedBody | null =>
      size < 0 ? null : { bytes: bytes ? bytes.subarray(from, from + kept) : new Uint8Array(0), size, truncated: (truncated & cut) !== 0 };
    return {
      request: body(requestSize, 0, requestKept, TRUNCATED_REQUEST),
      response: body(responseSize, requestKept, responseKept, TRUNCATED_RESPONSE),
      dropped: false,
    };
  }
}
