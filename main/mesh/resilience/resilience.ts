/**
 * The proxy's resilience state in one place: what it learnt about instances, the balancer and
 * ejection built on that, retry budgets per service, and the restart hold. One per proxy, so tests
 * and meshes never share it; it forgets instances and services the registry drops.
 */
import type { Registry } from '../registry/registry.js';
import { Balancer } from './balancer.js';
import { Ejection, type InstanceEventListener } from './ejection.js';
import { InstanceBook } from './instance-book.js';
import { RestartHold, type RestartHoldOptions } from './restart-hold.js';
import { RetryBudgets } from './retry-budget.js';
import type { RetryPolicy } from './service-policy.js';

export interface ResilienceOptions {
  hold?: RestartHoldOptions;
  /** Tests may make the balancer deterministic. */
  random?: () => number;
}

export class Resilience {
  readonly book = new InstanceBook();
  readonly ejection = new Ejection(this.book);
  readonly balancer: Balancer;
  readonly budgets = new RetryBudgets();
  readonly hold: RestartHold;
  private readonly random: () => number;
  private offRegistry: (() => void) | null = null;

  constructor(options: ResilienceOptions = {}) {
    this.random = options.random ?? Math.random;
    this.balancer = new Balancer(this.book, this.ejection, this.random);
    this.hold = new RestartHold(options.hold);
  }

  /** Ejections, returns and panics, with their reasons. */
  onInstanceEvent(listener: InstanceEventListener): () => void {
    return this.ejection.onEvent(listener);
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
