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
  /** Milliseconds from arrival: upstream request dispatched, first response byte, end. */
  timings: { dispatched: number | null; firstByte: number | null; end: number };
  /**
   * Body bytes from the client to the upstream, and from the upstream to the client. For CONNECT
   * tunnels and upgraded connections, every byte that crossed the client's connection.
   */
  bytesIn: number;
  bytesOut: number;
  /** Why the exchange failed on the proxy side, if it did: `connection refused`, `client aborted`… */
  error: string | null;
}
