/**
 * A service's resilience policy — timeouts, retries, balancing, ejection, holding — resolved once
 * from meshdesk.yaml with the safe defaults filled in. The proxy asks for it on every request, so
 * resolution is cached per config object: a reload brings a new object and so new policies, and
 * the hot path is one Map lookup. Services that the config does not name (disco/, runtime
 * registrations, passthrough) share the defaults.
 */
import type { MeshConfig, ServiceConfig } from '../../../shared/config-schema.js';

export type BalancerKind = 'peak-ewma' | 'round-robin';

/** What the mesh speaks to a service's instances: `auto` follows the client; `h2c` and `http1` are one for every client. */
export type UpstreamProtocol = 'auto' | 'http1' | 'h2c';

export interface RetryPolicy {
  /** Extra attempts after the first; 0 turns retries off. */
  attempts: number;
  /** Retry connection failures (refused, reset before an answer, connect timeout). */
  connectFailure: boolean;
  /** Response statuses retried, for idempotent requests only. */
  statuses: ReadonlySet<number>;
  /** Retries may add this share of the service's requests (Linkerd 2: 20%)… */
  budgetPercent: number;
  /** …plus this many per second (Linkerd 2: 10)… */
  budgetMinPerSecond: number;
  /** …over a window this long (Linkerd 2: 10 s). */
  budgetWindowMs: number;
  /** Full-jitter exponential backoff: random in 0..min(max, base·2^n). */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export interface EjectionPolicy {
  /** Failures in a row that eject an instance; 0 turns failure ejection off. */
  consecutiveFailures: number;
  baseMs: number;
  /** Ejection time is baseMs × ejections so far, at most this. */
  maxMs: number;
  /** Share of a version's instances ejected at once, 0..1 (at least one, never all). */
  maxShare: number;
  latencyOutliers: boolean;
  /** An outlier is this many times slower than its peers' median… */
  outlierFactor: number;
  /** …and at least this many milliseconds slower. */
  outlierMinExcessMs: number;
}

export interface ServicePolicy {
  /** From arrival to the response headers, across attempts, holds and backoff (504 after). */
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  retry: RetryPolicy;
  balancer: BalancerKind;
  ejection: EjectionPolicy;
  /** How long requests wait for a version whose every instance refuses connections; 0: off. */
  holdMs: number;
  /** Held only while its last answer is this recent: a service down for longer is not restarting. */
  restartWindowMs: number;
  protocol: UpstreamProtocol;
}

export interface PolicyDefaults {
  requestTimeoutMs: number;
  connectTimeoutMs: number;
}

const GATEWAY_ERRORS = [502, 503, 504];

export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 2,
  connectFailure: true,
  statuses: new Set(GATEWAY_ERRORS),
  budgetPercent: 20,
  budgetMinPerSecond: 10,
  budgetWindowMs: 10_000,
  backoffBaseMs: 25,
  backoffMaxMs: 250,
});

export const DEFAULT_EJECTION: Readonly<EjectionPolicy> = Object.freeze({
  consecutiveFailures: 5,
  baseMs: 30_000,
  maxMs: 300_000,
  maxShare: 0.5,
  latencyOutliers: true,
  outlierFactor: 5,
  outlierMinExcessMs: 50,
});

export const DEFAULT_HOLD_MS = 5_000;
export const DEFAULT_RESTART_WINDOW_MS = 30_000;

/** The policy of a service the config says nothing about. */
export function defaultPolicy(defaults: PolicyDefaults): ServicePolicy {
  return {
    requestTimeoutMs: defaults.requestTimeoutMs,
    connectTimeoutMs: defaults.connectTimeoutMs,
    retry: DEFAULT_RETRY,
    balancer: 'peak-ewma',
    ejection: DEFAULT_EJECTION,
    holdMs: DEFAULT_HOLD_MS,
    restartWindowMs: DEFAULT_RESTART_WINDOW_MS,
    protocol: 'auto',
  };
}

export function policyFromConfig(service: ServiceConfig, defaults: PolicyDefaults): ServicePolicy {
  const base = defaultPolicy(defaults);
  const retries = service.retries;
  const ejection = service.ejection;
  return {
    requestTimeoutMs: service.timeouts?.request ?? base.requestTimeoutMs,
    connectTimeoutMs: service.timeouts?.connect ?? base.connectTimeoutMs,
    retry: retries
      ? {
          ...DEFAULT_RETRY,
          attempts: retries.attempts ?? DEFAULT_RETRY.attempts,
          ...(retries.on ? retryOn(retries.on) : {}),
          budgetPercent: retries.budgetPercent ?? DEFAULT_RETRY.budgetPercent,
        }
      : DEFAULT_RETRY,
    balancer: service.loadBalancer ?? base.balancer,
    ejection: ejection
      ? {
          ...DEFAULT_EJECTION,
          consecutiveFailures: ejection.consecutiveFailures ?? DEFAULT_EJECTION.consecutiveFailures,
          baseMs: ejection.baseTime ?? DEFAULT_EJECTION.baseMs,
          maxShare: ejection.maxPercent === undefined ? DEFAULT_EJECTION.maxShare : ejection.maxPercent / 100,
          latencyOutliers: ejection.latencyOutliers ?? DEFAULT_EJECTION.latencyOutliers,
        }
      : DEFAULT_EJECTION,
    holdMs: service.holdWhileRestarting === false ? 0 : (service.holdWhileRestarting ?? base.holdMs),
    restartWindowMs: service.restartWindow ?? base.restartWindowMs,
    protocol: service.protocol ?? base.protocol,
  };
}

/** `on: [connect-failure, gateway-error, 5xx, 429]` as the policy's two switches. */
function retryOn(on: readonly (string | number)[]): Pick<RetryPolicy, 'connectFailure' | 'statuses'> {
  const statuses = new Set<number>();
  for (const item of on) {
    if (typeof item === 'number') statuses.add(item);
    else if (item === 'gateway-error') for (const status of GATEWAY_ERRORS) statuses.add(status);
    else if (item === '5xx') for (let status = 500; status < 600; status++) statuses.add(status);
  }
  return { connectFailure: on.includes('connect-failure'), statuses };
}

/** Resolves and caches policies for the config in force; `get` is the proxy's per-request call. */
export class PolicyBook {
  private config: MeshConfig | null = null;
  private readonly resolved = new Map<string, ServicePolicy>();
  private readonly fallback: ServicePolicy;

  constructor(private readonly defaults: PolicyDefaults) {
    this.fallback = defaultPolicy(defaults);
  }

  get(config: MeshConfig, service: string): ServicePolicy {
    if (config !== this.config) {
      this.config = config;
      this.resolved.clear();
    }
    let policy = this.resolved.get(service);
    if (policy === undefined) {
      const declared = Object.hasOwn(config.services, service) ? config.services[service] : undefined;
      policy = declared ? policyFromConfig(declared, this.defaults) : this.fallback;
      this.resolved.set(service, policy);
    }
    return policy;
  }
}
