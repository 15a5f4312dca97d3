/**
 * What the proxy has learnt about each instance from the traffic it sent there: a peak-EWMA latency
 * estimate, requests in flight, failures in a row, ejection, whether it refuses connections and
 * when it last answered. This is passive health; the active health checks live in the registry.
 *
 * Keyed by `host:port`, not by the registry's Instance objects: the registry replaces those on
 * every health change, and what we learnt about a server must survive that. The book is pruned
 * when the registry drops instances, so it holds only instances that exist.
 *
 * Peak-EWMA (Finagle, Linkerd): a response slower than the estimate replaces it at once (the peak),
 * a faster one pulls it down exponentially with a time constant, and an idle instance's estimate
 * decays towards zero as it is read, so an instance that was slow once is tried again in time.
 */
import { TrafficRecord } from './traffic-health.js';

/** Linkerd 2's decay time constant. */
export const EWMA_DECAY_MS = 10_000;
/**
 * A refusing instance is passed over this long while others can serve: like an endpoint that is
 * not ready in Linkerd's balancer. It never answered, so its latency estimate would say nothing.
 */
const REFUSED_AVOID_MS = 1_000;
/** Weight of the newest response in `meanMs`. */
const MEAN_WEIGHT = 0.2;
/** Cost of an instance with requests in flight and no response yet: worse than any real one. */
const UNKNOWN_BUSY_COST = 1e9;

export class InstanceState {
  /** Peak-EWMA of response-header latency, ms; 0 until the first response. */
  ewmaMs = 0;
  /** `performance.now()` of the last estimate update. */
  stampMs = 0;
  /**
   * Plain moving average of the same latency: what the instance is typically like, for comparing
   * peers (outliers). Peak-EWMA is right for balancing but keeps a spike for seconds.
   */
  meanMs = 0;
  /** Attempts dispatched and not yet over. */
  pending = 0;
  consecutiveFailures = 0;
  /** `performance.now()` until which the instance is ejected; 0 when it is not. */
  ejectedUntil = 0;
  ejections = 0;
  /** Its last connection attempt was refused (nothing listens: restarting, or stopped). */
  refusing = false;
  /** `performance.now()` of that refusal. */
  refusedAt = 0;
  /** `performance.now()` of its last response; 0 when it never answered. */
  lastOkAt = 0;
  /** `performance.now()` its last ejection ended; latency it showed before then is not held against it. */
  returnedAt = 0;
  /** Smooth weighted round-robin's running weight. */
  rrCurrent = 0;
  /** Outcomes for health from traffic (traffic-health.ts), shown beside the active check. */
  readonly traffic = new TrafficRecord();

  constructor(readonly address: string) {}

  observe(latencyMs: number, now: number): void {
    this.meanMs = this.stampMs === 0 ? latencyMs : this.meanMs + MEAN_WEIGHT * (latencyMs - this.meanMs);
    if (latencyMs > this.ewmaMs || this.stampMs === 0) {
      this.ewmaMs = latencyMs;
    } else {
      const w = Math.exp(-(now - this.stampMs) / EWMA_DECAY_MS);
      this.ewmaMs = this.ewmaMs * w + latencyMs * (1 - w);
    }
    this.stampMs = now;
  }

  /** The balancer's cost: the decayed estimate times the load it would join. */
  cost(now: number): number {
    if (this.ewmaMs === 0) return this.pending === 0 ? 0 : UNKNOWN_BUSY_COST + this.pending;
    const decayed = this.ewmaMs * Math.exp(-(now - this.stampMs) / EWMA_DECAY_MS);
    return decayed * (this.pending + 1);
  }

  /** Refused a connection moments ago: not worth a request while another instance may take it. */
  refusedLately(now: number): boolean {
    return this.refusing && now - this.refusedAt < REFUSED_AVOID_MS;
  }

  isEjected(now: number): boolean {
    return this.ejectedUntil !== 0 && now < this.ejectedUntil;
  }
}

export class InstanceBook {
  private readonly states = new Map<string, InstanceState>();

  state(address: string): InstanceState {
    let state = this.states.get(address);
    if (state === undefined) {
      state = new InstanceState(address);
      this.states.set(address, state);
    }
    return state;
  }

  peek(address: string): InstanceState | undefined {
    return this.states.get(address);
  }

  /** Forgets every instance not in `live` (called when the registry changed). */
  keepOnly(live: ReadonlySet<string>): void {
    for (const address of this.states.keys()) if (!live.has(address)) this.states.delete(address);
  }

  get size(): number {
    return this.states.size;
  }
}
