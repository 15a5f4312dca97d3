/**
 * Passive ejection (outlier detection, circuit breaking): an instance that fails N times in a row,
 * or answers far slower than its peers, is taken out of its version's pool for a while, longer each
 * time it happens again. Two guards keep ejection from causing the outage it is meant to contain:
 * at most a share of a version's instances is ejected at once (at least one, never all), and if
 * ejections ever leave a version with nothing to route to, they are ignored for it (panic mode)
 * with a warning, as Envoy does.
 *
 * Every ejection, return and panic is an InstanceEvent with its reason, for the log and the UI.
 * Expiry needs no timer: the balancer releases an instance when it meets it after its time is up.
 */
import type { InstanceEvent } from '../../../shared/events.js';
import type { Instance } from '../registry/registry.js';
import { EWMA_DECAY_MS, type InstanceBook, type InstanceState } from './instance-book.js';
import type { EjectionPolicy } from './service-policy.js';

/** The version a decision is about: names for events, instances for the share rule. */
export interface VersionRef {
  service: string;
  version: string;
  instances: readonly Instance[];
}

export type InstanceEventListener = (event: InstanceEvent) => void;

const OUTLIER_CHECK_EVERY_MS = 1_000;
/** Warn about one version's panic at most this often. */
const PANIC_WARN_EVERY_MS = 10_000;

export class Ejection {
  private readonly listeners = new Set<InstanceEventListener>();
  /** Last outlier check and last panic warning, per version instance list (the registry replaces it on change). */
  private readonly outlierChecks = new WeakMap<readonly Instance[], number>();
  private readonly panicWarnings = new WeakMap<readonly Instance[], number>();

  constructor(private readonly book: InstanceBook) {}

  onEvent(listener: InstanceEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One attempt's outcome at `state`'s instance: a success resets its count, a failure may eject it. */
  outcome(ref: VersionRef, state: InstanceState, ok: boolean, policy: EjectionPolicy, cause: string, now: number): void {
    if (ok) {
      state.consecutiveFailures = 0;
      // Healthy for as long as the longest ejection: its history no longer lengthens the next one.
      if (state.ejections > 0 && state.ejectedUntil === 0 && now - state.returnedAt > policy.maxMs) state.ejections = 0;
      return;
    }
    state.consecutiveFailures++;
    if (policy.consecutiveFailures > 0 && state.consecutiveFailures >= policy.consecutiveFailures && !state.isEjected(now)) {
      this.eject(ref, state, policy, `${state.consecutiveFailures} failures in a row, the last: ${cause}`, now);
    }
  }

  /** Ejects unless the version's share of ejected instances is already used up; true when it did. */
  eject(ref: VersionRef, state: InstanceState, policy: EjectionPolicy, reason: string, now: number): boolean {
    if (this.ejectedCount(ref, now) >= maxEjected(ref.instances.length, policy.maxShare)) return false;
    state.ejections++;
    const duration = Math.min(policy.maxMs, policy.baseMs * state.ejections);
    state.ejectedUntil = now + duration;
    state.consecutiveFailures = 0;
    this.emit('ejected', ref, state.address, state.ejections, reason, epochOf(now + duration));
    return true;
  }

  /** Back into the pool once its time is up; the balancer calls it when it meets the instance. */
  release(ref: VersionRef, state: InstanceState, now: number): void {
    state.ejectedUntil = 0;
    state.returnedAt = now;
    this.emit('returned', ref, state.address, state.ejections, `ejection over (ejected ${state.ejections} time(s) so far)`, null);
  }

  /** Ejections left the version nothing to route to: they are ignored, and that is worth a warning. */
  panic(ref: VersionRef, ejected: number, now: number): void {
    const last = this.panicWarnings.get(ref.instances);
    if (last !== undefined && now - last < PANIC_WARN_EVERY_MS) return;
    this.panicWarnings.set(ref.instances, now);
    const reason = `all ${ejected} available instance(s) of ${ref.service}@${ref.version} are ejected: routing to them anyway`;
    this.emit('panic', ref, '*', 0, reason, null);
  }

  /**
   * Latency outliers: an instance whose typical latency is many times its peers' median (and slower
   * by a real margin) is ejected. Runs at most once a second per version, from the balancer; only
   * estimates observed recently, and since the instance's last return, count as evidence.
   */
  checkOutliers(ref: VersionRef, policy: EjectionPolicy, now: number): void {
    const { instances } = ref;
    if (!policy.latencyOutliers || instances.length < 2) return;
    const last = this.outlierChecks.get(instances);
    if (last !== undefined && now - last < OUTLIER_CHECK_EVERY_MS) return;
    this.outlierChecks.set(instances, now);
    const observed: InstanceState[] = [];
    for (const instance of instances) {
      const state = this.book.peek(instance.address);
      if (state && instance.health !== 'failing' && !state.isEjected(now) && isRecent(state, now)) observed.push(state);
    }
    if (observed.length < 2) return;
    for (const state of observed) {
      const median = medianOf(observed, state);
      if (state.meanMs > median * policy.outlierFactor && state.meanMs - median >= policy.outlierMinExcessMs) {
        const reason = `latency outlier: ${round(state.meanMs)} ms against its peers' median of ${round(median)} ms`;
        this.eject(ref, state, policy, reason, now);
      }
    }
  }

  ejectedCount(ref: VersionRef, now: number): number {
    let count = 0;
    for (const instance of ref.instances) if (this.book.peek(instance.address)?.isEjected(now)) count++;
    return count;
  }

  private emit(kind: InstanceEvent['kind'], ref: VersionRef, instance: string, ejections: number, reason: string, until: number | null): void {
    if (this.listeners.size === 0) return;
    const event: InstanceEvent = {
      kind,
      service: ref.service,
      version: ref.version,
      instance,
      reason,
      at: Date.now(),
      until,
      ejections,
    };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener must not break routing.
      }
    }
  }
}

/** At least one, never all: with one instance nothing can be ejected. */
export function maxEjected(instances: number, maxShare: number): number {
  if (instances < 2 || maxShare <= 0) return 0;
  return Math.min(instances - 1, Math.max(1, Math.floor(instances * maxShare)));
}

function isRecent(state: InstanceState, now: number): boolean {
  return state.stampMs !== 0 && now - state.stampMs < EWMA_DECAY_MS && state.stampMs > state.returnedAt;
}

/** Median estimate of everyone in `states` but `self`. */
function medianOf(states: readonly InstanceState[], self: InstanceState): number {
  const peers = states
    .filter((state) => state !== self)
    .map((state) => state.meanMs)
    .sort((a, b) => a - b);
  const middle = Math.floor(peers.length / 2);
  return peers.length % 2 === 1 ? (peers[middle] as number) : ((peers[middle - 1] as number) + (peers[middle] as number)) / 2;
}

function epochOf(now: number): number {
  return Math.round(performance.timeOrigin + now);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
