/**
 * Request events: one per proxied exchange, the unit of the log, the stats and the graph
 * (design.md). Emitted by the proxy on the in-process event bus; the telemetry folds them.
 */
/**
 * `service`: to a registered service. `external`: to any other host (passed through, or refused in
 * reject mode). `proxy`: answered by the proxy itself because the request named no usable target
 * (malformed, headers too large or too slow, addressed to the proxy).
 */
export type TrafficKind = 'service' | 'external' | 'proxy';

export interface RequestEvent {
  /** Unique per exchange within one mesh run. */
  id: number;
  kind: TrafficKind;
  caller: string;
  /** The registered service, or the external host for passthrough traffic. */
  service: string;
  version: string | null;
  /** `host:port` of the instance (or external destination) tried last. */
  instance: string | null;
  method: string;
  path: string;
  /** The status the client received; 0 when the client went away before a response. */
  status: number;
  /** Milliseconds since the epoch when the request arrived. */
  startedAt: number;
  /**
   * Milliseconds from arrival: handed to the upstream (`dispatched`), taken by an upstream
   * connection (`connected`: forwarded HTTP requests only), first response byte, end.
   */
  timings: { dispatched: number | null; connected?: number | null; firstByte: number | null; end: number };
  /**
   * Body bytes from the client to the upstream, and from the upstream to the client. For CONNECT
   * tunnels and upgraded connections, every byte that crossed the client's connection.
   */
  bytesIn: number;
  bytesOut: number;
  /** Why the exchange failed on the proxy side, if it did: `connection refused`, `client aborted`… */
  error: string | null;
  /**
   * Routed requests only (absent on refusals, tunnels and upgrades): every upstream attempt in order,
   * the retries among them, what set the request apart, and why it went where it did.
   */
  attempts?: RequestAttempt[];
  retries?: number;
  flags?: RequestFlag[];
  decision?: DecisionStep[];
}

/** One try at an upstream: its status (0 when none came) or error, and how long it took. */
export interface RequestAttempt {
  instance: string;
  status: number;
  error: string | null;
  ms: number;
}

/**
 * `fault-injected`: a fault rule delayed or aborted it. `retried`: it took more than one attempt.
 * `ejected-instance`: instances of its version were ejected when it was routed. `held`: it waited for
 * a restarting service. `panic`: ejections were ignored because they left no instance.
 * `budget-exhausted`: a retry was wanted but the service's retry budget was spent.
 * `tunnelled`: it came inside a client's CONNECT tunnel to the service (Node's fetch, undici, gRPC
 * clients tunnel even `http://`), and was served like a forward-proxied request.
 * `opaque`: a tunnel to a service the mesh could not read (TLS inside): one exchange for the
 * whole tunnel, logged with its bytes and duration but not counted as a request in the stats.
 */
export type RequestFlag = 'fault-injected' | 'retried' | 'ejected-instance' | 'held' | 'panic' | 'budget-exhausted' | 'tunnelled' | 'opaque';

/** One step of "why did this request go there", in the order the proxy took them. */
export interface DecisionStep {
  step: 'tunnel' | 'alias' | 'version' | 'instance' | 'ejection' | 'fault' | 'retry' | 'hold' | 'budget';
  /** What the step chose (a version, an instance), or null when it only reports state. */
  choice: string | null;
  reason: string;
}

/**
 * Something passive health (ejection) did to an instance: not per request, so not a RequestEvent.
 * `ejected`: taken out of its version's pool until `until`; `returned`: back in the pool; `panic`:
 * ejections would have left the version no instance, so they were ignored.
 */
export interface InstanceEvent {
  kind: 'ejected' | 'returned' | 'panic';
  service: string;
  version: string;
  /** `host:port`; `*` for a panic, which concerns the whole version. */
  instance: string;
  reason: string;
  /** Milliseconds since the epoch. */
  at: number;
  /** Epoch ms the ejection ends; null for `returned` and `panic`. */
  until: number | null;
  /** How often this instance has been ejected (it grows the ejection time). */
  ejections: number;
}
