/**
 * Request events: one per proxied exchange, the unit of the log, the stats and the graph; and
 * instance events, what passive health did to an instance. Declared once, in zod: the types are
 * inferred from the schemas, and the renderer and the CLI parse what the push stream sends with
 * them (TypeScript types do not cross the network). The mesh itself never parses its own events:
 * the proxy builds them on its hot path and the types are enough there.
 *
 * An exchange has two shapes on its way. The proxy emits a ProxiedExchange, which says what
 * happened; the telemetry records it and completes it into the RequestEvent everything downstream
 * reads, with `failed` (by the mesh's configured failure rule, decided once, there) and `retries`.
 */
import { z } from 'zod';

/**
 * `service`: to a registered service. `external`: to any other host (passed through, or refused in
 * reject mode). `proxy`: answered by the proxy itself because the request named no usable target
 * (malformed, headers too large or too slow, addressed to the proxy).
 */
export const trafficKindSchema = z.enum(['service', 'external', 'proxy']);
export type TrafficKind = z.infer<typeof trafficKindSchema>;

/**
 * `fault-injected`: a fault rule delayed or aborted it. `retried`: it took more than one attempt.
 * `ejected-instance`: instances of its version were ejected when it was routed. `held`: it waited for
 * a restarting service. `panic`: ejections were ignored because they left no instance.
 * `budget-exhausted`: a retry was wanted but the service's retry budget was spent.
 * `tunnelled`: it came inside a client's CONNECT tunnel to the service (Node's fetch, undici, gRPC
 * clients tunnel even `http://`), and was served like a forward-proxied request.
 * `opaque`: a tunnel to a service the mesh could not read (TLS inside): one exchange for the
 * whole tunnel, logged with its bytes and duration but not counted as a request in the stats.
 * `shadow`: a copy the mesh sent itself (shadow traffic, or a second copy to learn noise), never
 * seen by the caller: logged, counted in the shadow's stats, not in the caller's or the service's.
 */
export const requestFlagSchema = z.enum([
  'fault-injected',
  'retried',
  'ejected-instance',
  'held',
  'panic',
  'budget-exhausted',
  'tunnelled',
  'opaque',
  'shadow',
]);
export type RequestFlag = z.infer<typeof requestFlagSchema>;

/** One try at an upstream: its status (0 when none came) or error, and how long it took. */
export const requestAttemptSchema = z.object({
  instance: z.string(),
  status: z.number().int(),
  error: z.string().nullable(),
  ms: z.number(),
});
export type RequestAttempt = z.infer<typeof requestAttemptSchema>;

export const decisionStepNameSchema = z.enum(['tunnel', 'alias', 'version', 'instance', 'ejection', 'fault', 'retry', 'hold', 'budget']);
export type DecisionStepName = z.infer<typeof decisionStepNameSchema>;

/** One step of "why did this request go there", in the order the proxy took them. */
export const decisionStepSchema = z.object({
  step: decisionStepNameSchema,
  /** What the step chose (a version, an instance), or null when it only reports state. */
  choice: z.string().nullable(),
  reason: z.string(),
});
export type DecisionStep = z.infer<typeof decisionStepSchema>;

/**
 * Milliseconds from arrival: handed to the upstream (`dispatched`), taken by an upstream
 * connection (`connected`: forwarded HTTP requests only), first response byte, end.
 */
export const requestTimingsSchema = z.object({
  dispatched: z.number().nullable(),
  connected: z.number().nullable().optional(),
  firstByte: z.number().nullable(),
  end: z.number(),
});
export type RequestTimings = z.infer<typeof requestTimingsSchema>;

/**
 * How a gRPC call ended: its `grpc-status` (null when the call ended without one) and
 * `grpc-message`; and how many messages crossed each way (client to service, service to client).
 */
export const grpcOutcomeSchema = z.object({
  status: z.number().int().nullable(),
  message: z.string().nullable(),
  messagesIn: z.number().int().nonnegative().optional(),
  messagesOut: z.number().int().nonnegative().optional(),
});
export type GrpcOutcome = z.infer<typeof grpcOutcomeSchema>;

/** One exchange as the proxy reports it, before the telemetry has judged it. */
export const proxiedExchangeSchema = z.object({
  /** Unique per exchange within one mesh run. */
  id: z.number().int(),
  kind: trafficKindSchema,
  caller: z.string(),
  /** The registered service, or the external host for passthrough traffic. */
  service: z.string(),
  version: z.string().nullable(),
  /** `host:port` of the instance (or external destination) tried last. */
  instance: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  /** The status the client received; 0 when the client went away before a response. */
  status: z.number().int(),
  /** Milliseconds since the epoch when the request arrived. */
  startedAt: z.number(),
  timings: requestTimingsSchema,
  /**
   * Body bytes from the client to the upstream, and from the upstream to the client. For CONNECT
   * tunnels and upgraded connections, every byte that crossed the client's connection.
   */
  bytesIn: z.number(),
  bytesOut: z.number(),
  /** Why the exchange failed on the proxy side, if it did: `connection refused`, `client aborted`… */
  error: z.string().nullable(),
  /** `h2` for a call that came over HTTP/2 (absent: HTTP/1.x). */
  protocol: z.literal('h2').optional(),
  /** gRPC calls only: how the call ended, in gRPC's terms (the status a gRPC client sees). */
  grpc: grpcOutcomeSchema.optional(),
  /**
   * Routed requests only (absent on refusals, tunnels and upgrades): every upstream attempt in order,
   * the retries among them, what set the request apart, and why it went where it did.
   */
  attempts: z.array(requestAttemptSchema).optional(),
  retries: z.number().int().nonnegative().optional(),
  flags: z.array(requestFlagSchema).optional(),
  decision: z.array(decisionStepSchema).optional(),
});
export type ProxiedExchange = z.infer<typeof proxiedExchangeSchema>;

/** A recorded exchange: what the log, the stats, the push stream, the CLI and the shell read. */
export const requestEventSchema = proxiedExchangeSchema.extend({
  /** By the mesh's failure rule (meshdesk.yaml `telemetry.failureStatuses`; by default 5xx and connection errors). */
  failed: z.boolean(),
  /** Upstream attempts after the first; 0 for exchanges that were not routed. */
  retries: z.number().int().nonnegative(),
});
export type RequestEvent = z.infer<typeof requestEventSchema>;

/** The start of a routed exchange, for in-flight counts: enough to find its series. */
export type RequestStart = Pick<ProxiedExchange, 'id' | 'kind' | 'caller' | 'service' | 'version' | 'instance'>;

/**
 * Something passive health (ejection) did to an instance: not per request, so not a RequestEvent.
 * `ejected`: taken out of its version's pool until `until`; `returned`: back in the pool; `panic`:
 * ejections would have left the version no instance, so they were ignored.
 */
export const instanceEventSchema = z.object({
  kind: z.enum(['ejected', 'returned', 'panic']),
  service: z.string(),
  version: z.string(),
  /** `host:port`; `*` for a panic, which concerns the whole version. */
  instance: z.string(),
  reason: z.string(),
  /** Milliseconds since the epoch. */
  at: z.number(),
  /** Epoch ms the ejection ends; null for `returned` and `panic`. */
  until: z.number().nullable(),
  /** How often this instance has been ejected (it grows the ejection time). */
  ejections: z.number().int(),
});
export type InstanceEvent = z.infer<typeof instanceEventSchema>;
