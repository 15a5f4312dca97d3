/**
 * The in-process bus request events travel on. Callers ask `wanted` before gathering anything for
 * an event, so when nobody listens the hot path pays one boolean check; `record` builds the event
 * (caller attribution, timestamps) only when someone does. A listener that throws is its own
 * problem: it must not break the exchange that emitted the event, nor the other listeners.
 *
 * Caller attribution by the operating system is asynchronous (a /proc scan, once per connection).
 * The response never waits for it: when the lookup is still running as an exchange ends, only the
 * event waits, then leaves with the caller filled in.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestEvent, TrafficKind } from '../../../shared/events.js';
import type { ExchangeCapture } from '../../../shared/exchange.js';
import { explicitCaller, SHELL_CALLER } from './caller.js';

type Listener = (event: RequestEvent, capture?: ExchangeCapture | null) => void;

/** The start of an exchange, for in-flight counts: told once it is routed. */
export type RequestStart = Pick<RequestEvent, 'id' | 'kind' | 'caller' | 'service' | 'version' | 'instance'>;
type StartListener = (start: RequestStart) => void;

/** What the OS says about the connection a request came on (see telemetry/connection-callers.ts). */
export interface ConnectionAttribution {
  readonly caller: string | null;
  readonly pending: boolean;
  readonly settled: Promise<string | null>;
}

export interface RequestEventsOptions {
  /** Looks up (once per connection) which process sent a request that names no caller itself. */
  attribute?: (req: IncomingMessage) => ConnectionAttribution | null;
}

/** What the proxy knows about one exchange when it is over; `record` adds the rest. */
export interface ExchangeFacts {
  kind: TrafficKind;
  service: string;
  version: string | null;
  instance: string | null;
  path: string;
  status: number;
  error: string | null;
  /** `performance.now()` values; null when that point was never reached. */
  start: number;
  dispatched: number | null;
  firstByte: number | null;
  bytesIn: number;
  bytesOut: number;
  /** The id `begin` gave this exchange; a fresh one when it was never begun. */
  id?: number;
}

export class RequestEvents {
  private readonly listeners = new Set<Listener>();
  private readonly startListeners = new Set<StartListener>();
  private nextId = 1;

  constructor(private readonly options: RequestEventsOptions = {}) {}

  get wanted(): boolean {
    return this.listeners.size > 0;
  }

  newId(): number {
    return this.nextId++;
  }

  emit(event: RequestEvent, capture?: ExchangeCapture | null): void {
    for (const listener of this.listeners) {
      try {
        listener(event, capture);
      } catch {
        // See the header: a broken listener loses its own event, nothing else.
      }
    }
  }

  /**
   * Tells start listeners that a routed exchange began, and starts the caller lookup for its
   * connection. Returns the exchange's id for `record` (0 when nobody listens).
   */
  begin(req: IncomingMessage, facts: Omit<RequestStart, 'id' | 'caller'>): number {
    if (!this.wanted) return 0;
    const id = this.newId();
    const known = this.callerNow(req);
    if (this.startListeners.size > 0) {
      const start: RequestStart = { ...facts, id, caller: known.caller ?? known.attribution?.caller ?? SHELL_CALLER };
      for (const listener of this.startListeners) {
        try {
          listener(start);
        } catch {
          // As for events.
        }
      }
    }
    return id;
  }

  /** Emits the event for one exchange; `req` is null when the request could not even be parsed. */
  record(req: IncomingMessage | null, facts: ExchangeFacts, capture?: ExchangeCapture | null): void {
    if (!this.wanted) return;
    const { start } = facts;
    const known = req ? this.callerNow(req) : { caller: SHELL_CALLER, attribution: null };
    const event: RequestEvent = {
      id: facts.id || this.newId(),
      kind: facts.kind,
      caller: known.caller ?? known.attribution?.caller ?? SHELL_CALLER,
      service: facts.service,
      version: facts.version,
      instance: facts.instance,
      method: req?.method ?? '',
      path: facts.path,
      status: facts.status,
      startedAt: Math.round(performance.timeOrigin + start),
      timings: {
        dispatched: facts.dispatched === null ? null : facts.dispatched - start,
        firstByte: facts.firstByte === null ? null : facts.firstByte - start,
        end: performance.now() - start,
      },
      bytesIn: facts.bytesIn,
      bytesOut: facts.bytesOut,
      error: facts.error,
    };
    if (known.caller === null && known.attribution?.pending) {
      void known.attribution.settled.then((caller) => {
        event.caller = caller ?? SHELL_CALLER;
        this.emit(event, capture);
      });
      return;
    }
    this.emit(event, capture);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribeStarts(listener: StartListener): () => void {
    this.startListeners.add(listener);
    return () => this.startListeners.delete(listener);
  }

  /** The request's own caller, else the connection's lookup (started here once per connection). */
  private callerNow(req: IncomingMessage): { caller: string | null; attribution: ConnectionAttribution | null } {
    const caller = explicitCaller(req);
    if (caller !== null) return { caller, attribution: null };
    return { caller: null, attribution: this.options.attribute?.(req) ?? null };
  }
}
