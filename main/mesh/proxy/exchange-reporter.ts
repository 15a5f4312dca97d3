/**
 * The proxy's side of the request-event bus: it turns what the proxy knows about an exchange into
 * its ProxiedExchange, with the caller it resolved for that exchange, and hands it to the bus. The bus
 * only carries events; nothing flows back from it into the proxy.
 *
 * Callers ask `wanted` before gathering anything for an event, so when nobody listens the hot path
 * pays one boolean check. An event whose caller is still being looked up leaves once it is known;
 * the response never waits for that here (forward.ts holds only the response's end, briefly).
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { DecisionStep, GrpcOutcome, RequestAttempt, ProxiedExchange, RequestFlag, RequestTimings, TrafficKind } from '../../../shared/events.js';
import type { ExchangeCapture } from '../../../shared/exchange.js';
import type { CallerIdentity, CallerLookup } from './caller-identity.js';
import type { RequestEvents, RequestStart } from './request-events.js';

/** What the proxy knows about one exchange when it is over; `record` adds the rest. */
export interface ExchangeFacts {
  kind: TrafficKind;
  /** When the request is not at hand to say it (HTTP/2 calls). */
  method?: string;
  /** HTTP/2 calls only; see ProxiedExchange. */
  protocol?: 'h2';
  grpc?: GrpcOutcome;
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
  /** Routed requests: see ProxiedExchange. */
  attempts?: RequestAttempt[];
  retries?: number;
  flags?: RequestFlag[];
  decision?: DecisionStep[];
}

export class ExchangeReporter {
  constructor(
    private readonly bus: RequestEvents,
    readonly callers: CallerIdentity,
  ) {}

  get wanted(): boolean {
    return this.bus.wanted;
  }

  /** Starts the connection's caller lookup, when anyone will read a caller. */
  connectionOpened(socket: Socket): void {
    if (this.bus.wanted) this.callers.connectionOpened(socket);
  }

  /**
   * A routed exchange began: announced (for in-flight counts) once its caller is known, so it is
   * counted on the edge of its real caller, never on `shell`. Returns the exchange's event id.
   */
  begin(caller: CallerLookup, route: Omit<RequestStart, 'id' | 'caller'>): number {
    const id = this.bus.newId();
    if (!this.bus.wantsStarts) return id;
    if (typeof caller === 'string') this.bus.emitStart(startOf(id, caller, route));
    else void caller.then((name) => this.bus.emitStart(startOf(id, name, route)));
    return id;
  }

  /**
   * Emits the event of one exchange. `caller` is the one resolved at the exchange's start; without
   * it, the request's caller is resolved now (its socket is still attached: refusals, tunnels,
   * upgrades). `req` is null when the request could not even be parsed.
   */
  record(req: IncomingMessage | null, facts: ExchangeFacts, capture?: ExchangeCapture | null, resolved?: CallerLookup): void {
    if (!this.bus.wanted) return;
    const caller = resolved ?? this.callers.of(req);
    const event = eventOf(req, facts, typeof caller === 'string' ? caller : '', this.bus.newId);
    if (typeof caller === 'string') {
      this.bus.emit(event, capture);
      return;
    }
    void caller.then((name) => {
      event.caller = name;
      this.bus.emit(event, capture);
    });
  }
}

/** A start, made from the route's own fields (the route itself is passed in, not a copy of them). */
function startOf(id: number, caller: string, route: Omit<RequestStart, 'id' | 'caller'>): RequestStart {
  return { id, kind: route.kind, caller, service: route.service, version: route.version, instance: route.instance };
}

/**
 * The event, made in one object literal of its final shape: properties added after a literal is
 * made go into a separate backing store, allocated and grown per event. The routed-only fields are
 * in it always, undefined when the exchange was not routed (JSON leaves them out, as it does absent
 * ones); only an HTTP/2 call's two fields are added after.
 */
function eventOf(req: IncomingMessage | null, facts: ExchangeFacts, caller: string, newId: () => number): ProxiedExchange {
  const { start } = facts;
  const dispatched = facts.dispatched === null ? null : facts.dispatched - start;
  const firstByte = facts.firstByte === null ? null : facts.firstByte - start;
  const end = performance.now() - start;
  const timings: RequestTimings =
    facts.connected === undefined
      ? { dispatched, firstByte, end }
      : { dispatched, connected: facts.connected === null ? null : facts.connected - start, firstByte, end };
  const event: ProxiedExchange = {
    id: facts.id || newId(),
    kind: facts.kind,
    caller,
    service: facts.service,
    version: facts.version,
    instance: facts.instance,
    method: facts.method ?? req?.method ?? '',
    path: facts.path,
    status: facts.status,
    startedAt: Math.round(performance.timeOrigin + start),
    timings,
    bytesIn: facts.bytesIn,
    bytesOut: facts.bytesOut,
    error: facts.error,
    attempts: facts.attempts,
    retries: facts.retries,
    flags: facts.flags,
    decision: facts.decision,
  };
  if (facts.protocol !== undefined) event.protocol = facts.protocol;
  if (facts.grpc !== undefined) event.grpc = facts.grpc;
  return event;
}
