/**
 * The proxy's resilience state in one place: what it learnt about instances, the balancer and
 * ejection built on that, retry budgets per service, and the restart hold. One per proxy, so tests
 * and meshes never share it; it forgets instances and services the registry drops.
 */
import type { TrafficHealth } from '../../../shared/model.js';
import type { Registry } from '../registry/registry.js';
import { Balancer } from './balancer.js';
import { Ejection, type InstanceEventListener, type VersionRef } from './ejection.js';
import { InstanceBook, type InstanceState } from './instance-book.js';
import { RestartHold, type RestartHoldOptions } from './restart-hold.js';
import { RetryBudgets } from './retry-budget.js';
import type { EjectionPolicy, RetryPolicy } from './service-policy.js';
import { TRAFFIC_IDLE_MS } from './traffic-health.js';

export interface ResilienceOptions {
  hold?: RestartHoldOptions;
  /** Tests may make the balancer deterministic. */
  random?: () => number;
  /** Quiet this long, an instance's health from traffic is unknown again (default TRAFFIC_IDLE_MS). */
  trafficIdleMs?: number;
}

export class Resilience {
  readonly book = new InstanceBook();
  readonly ejection = new Ejection(this.book);
  readonly balancer: Balancer;
  readonly budgets = new RetryBudgets();
  readonly hold: RestartHold;
  private readonly random: () => number;
  private readonly trafficIdleMs: number;
  private offRegistry: (() => void) | null = null;

  constructor(options: ResilienceOptions = {}) {
    this.random = options.random ?? Math.random;
    this.trafficIdleMs = options.trafficIdleMs ?? TRAFFIC_IDLE_MS;
    this.balancer = new Balancer(this.book, this.ejection, this.random);
    this.hold = new RestartHold(options.hold);
  }

  /** Ejections, returns and panics, with their reasons. */
  onInstanceEvent(listener: InstanceEventListener): () => void {
    return this.ejection.onEvent(listener);
  }

  /**
   * One attempt's outcome at `state`'s instance, the one feed from the exchanges: noted for health
   * from traffic, then judged for ejection.
   */
  outcome(ref: VersionRef, state: InstanceState, ok: boolean, policy: EjectionPolicy, cause: string, now: number): void {
    state.traffic.note(ok, cause, now);
    this.ejection.outcome(ref, state, ok, policy, cause, now);
  }

  /** Health from traffic of the instance at `address`; unknown when the proxy never sent it any. */
  trafficHealth(address: string): TrafficHealth {
    const state = this.book.peek(address);
    return state ? state.traffic.verdict(performance.now(), this.trafficIdleMs) : { state: 'unknown', reason: null, lastSeen: null };
  }

  /** Keeps the book to the registry's instances and services as they change. */
  follow(registry: Registry): void {
    this.offRegistry?.();
    this.offRegistry = registry.onChange((change) => {
      if (change.kind !== 'services' || change.removed.length === 0) return;
      const addresses = new Set<string>();
      const services = new Set<string>();
      for (const service of registry.list()) {
        services.add(service.name);
        for (const version of service.versions) for (const instance of version.instances) addresses.add(instance.address);
      }
      this.book.keepOnly(addresses);
      this.budgets.keepOnly(services);
    });
  }

  /** Full-jitter exponential backoff before retry number `retry` (0 for the first retry). */
  backoffMs(retry: number, policy: RetryPolicy): number {
    return this.random() * Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** retry);
  }

  close(): void {
    this.offRegistry?.();
    this.offRegistry = null;
    this.hold.close();
  }
}
