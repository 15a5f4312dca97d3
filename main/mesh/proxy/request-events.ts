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
import type { Socket } from 'node:net';
import type { DecisionStep, RequestAttempt, RequestEvent, RequestFlag, TrafficKind } from '../../../shared/events.js';
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
  /** Looks up (once per connection) which process is at the other end of a client connection. */
  attribute?: (socket: Socket) => ConnectionAttribution | null;
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
  /** Forwarded requests: when an upstream connection took the request. */
  connected?: number | null;
  firstByte: number | null;
  bytesIn: number;
  bytesOut: number;
  /** The id `begin` gave this exchange; a fresh one when it was never begun. */
  id?: number;
  /** Routed requests: see RequestEvent. */
  attempts?: RequestAttempt[];
  retries?: number;
  flags?: RequestFlag[];
  decision?: DecisionStep[];
}

/** Each request's connection lookup, for when its socket is gone by the time its event is built. */
const ATTRIBUTION = Symbol('meshdesk.attribution');
type AttributedRequest = IncomingMessage & { [ATTRIBUTION]?: ConnectionAttribution };

export class RequestEvents {
  private readonly listeners = new Set<Listener>();
  private readonly startListeners = new Set<StartListener>();
  private nextId = 1;

  constructor(private readonly options: RequestEventsOptions = {}) {}

  get wanted(): boolean {
    return this.listeners.size > 0;
  }

  /**
   * A client connection was accepted: its OS lookup starts now rather than at its first request,
   * since a client that closes right after its answer (one connection per request: urllib,
   * requests without a session) takes the socket's owner with it.
   */
  connectionOpened(socket: Socket): void {
    if (this.wanted) this.options.attribute?.(socket);
  }

  /**
   * The connection's OS lookup, while it still runs and the request names no caller of its own:
   * the proxy holds the response's end on it (briefly), for the same reason as above.
   */
  pendingAttribution(req: IncomingMessage): Promise<unknown> | null {
    if (!this.wanted) return null;
    // Asked on every answer: the lookup `begin` kept on the request saves finding it again.
    const kept = (req as AttributedRequest)[ATTRIBUTION];
    if (kept !== undefined) return kept.pending ? kept.settled : null;
    const known = this.callerNow(req);
    return known.caller === null && known.attribution?.pending ? known.attribution.settled : null;
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
    if (this.startListeners.size === 0) return id;
    const known = this.callerNow(req);
    const announce = (caller: string) => {
      const start: RequestStart = { ...facts, id, caller };
      for (const listener of this.startListeners) {
        try {
          listener(start);
        } catch {
          // As for events.
        }
      }
    };
    // While the OS lookup runs, the start waits too (it settles before the end's wait does), so
    // the exchange is counted in flight on the edge of its real caller, never on `shell`.
    if (known.caller === null && known.attribution?.pending) void known.attribution.settled.then((caller) => announce(caller ?? SHELL_CALLER));
    else announce(known.caller ?? known.attribution?.caller ?? SHELL_CALLER);
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
        ...(facts.connected === undefined ? {} : { connected: facts.connected === null ? null : facts.connected - start }),
        firstByte: facts.firstByte === null ? null : facts.firstByte - start,
        end: performance.now() - start,
      },
      bytesIn: facts.bytesIn,
      bytesOut: facts.bytesOut,
      error: facts.error,
    };
    // Only routed requests carry these; other events stay as lean as before.
    if (facts.attempts !== undefined) event.attempts = facts.attempts;
    if (facts.retries !== undefined) event.retries = facts.retries;
    if (facts.flags !== undefined) event.flags = facts.flags;
    if (facts.decision !== undefined) event.decision = facts.decision;
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

  /**
   * The caller the request's event will name — for decisions that depend on it (per-edge faults).
   * A promise only while the operating-system lookup for its connection is still running.
   */
  callerOf(req: IncomingMessage): string | Promise<string> {
    const known = this.callerNow(req);
    if (known.caller !== null) return known.caller;
    const attribution = known.attribution;
    if (attribution === null) return SHELL_CALLER;
    if (!attribution.pending) return attribution.caller ?? SHELL_CALLER;
    return attribution.settled.then((caller) => caller ?? SHELL_CALLER);
  }

  /**
   * The request's own caller, else the connection's lookup (started here once per connection).
   * Node detaches the socket from a request whose body it has read, so the lookup made while it was
   * attached (at `begin`) is remembered with the request for its event.
   */
  private callerNow(req: IncomingMessage): { caller: string | null; attribution: ConnectionAttribution | null } {
    const caller = explicitCaller(req);
    if (caller !== null) return { caller, attribution: null };
    const { attribute } = this.options;
    if (attribute === undefined) return { caller: null, attribution: null };
    if (!req.socket) return { caller: null, attribution: (req as AttributedRequest)[ATTRIBUTION] ?? null };
    const attribution = attribute(req.socket);
    // Kept on the request itself: a WeakMap entry per request costs the GC more (ephemerons).
    if (attribution !== null) (req as AttributedRequest)[ATTRIBUTION] = attribution;
    return { caller: null, attribution };
  }
}
