/**
 * Guarded reroutes: a route change that carries a guard is watched, and rolled back by the mesh
 * when the version that gained traffic does worse than the one it took traffic from. The rule is in
 * route-guard.ts; this module keeps the guards, feeds them and acts on the verdict.
 *
 * How it reads traffic, and why:
 * - The baseline is the telemetry's window for the old version, read once just before the change.
 * - What the new version does is counted from the change on, from the telemetry's recorded events
 *   (never from the proxy): exact counts and an HDR histogram for p99, so traffic the new version
 *   had before the change (a canary split) cannot hide or fake a breach. The listener is attached
 *   only while a guard watches; with none, recording costs nothing more than before.
 * - A breach is judged on the event that makes it, so a failing version is rolled back within a
 *   request or two of the minimum, not at the next tick; the rollback itself runs in a microtask,
 *   off the telemetry's notify loop, and the next request after it reads the old route.
 * - Timers (the end of each watch, the progress push) are unref'd: a guard never keeps Node alive.
 *
 * Any other change of the same service's route (a drag, a CLI call, a config reload, a manual
 * rollback) supersedes its guard: the guard watched a change that is no longer the one in force.
 */
import type { Histogram } from 'hdr-histogram-js';
import type { RequestEvent } from '../../../shared/events.js';
import {
  routeGuardInputSchema,
  type GuardSample,
  type RerouteInput,
  type RouteGuard,
  type RouteGuardThresholds,
  type ServiceRoute,
} from '../../../shared/routes.js';
import type { StatsSnapshot } from '../../../shared/stats.js';
import { effectiveWeights, type RouteTable } from './route-table.js';
import { judgeGuard } from './route-guard.js';
import { newHistogram } from '../telemetry/window-series.js';

/** What the guards read of the telemetry. */
export interface GuardTelemetry {
  snapshot(): StatsSnapshot;
  onRecorded(listener: (event: RequestEvent) => void): () => void;
}

export interface RouteGuardsOptions {
  routes: RouteTable;
  telemetry: GuardTelemetry;
  /** Epoch ms; tests may pass a clock. */
  now?: () => number;
  /** How often a watching guard’s progress is pushed (default 500 ms). */
  progressEveryMs?: number;
}

interface Guard {
  service: string;
  version: string;
  baselineVersion: string | null;
  thresholds: RouteGuardThresholds;
  startedAtMs: number;
  untilMs: number;
  baseline: GuardSample;
  requests: number;
  failures: number;
  latency: Histogram;
  state: RouteGuard['state'];
  reason: string | null;
  timer: NodeJS.Timeout | null;
  /** The request count last pushed, so an idle guard is not pushed every second. */
  pushedRequests: number;
}

export class RouteGuards {
  private readonly guards = new Map<string, Guard>();
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private offRecorded: (() => void) | null = null;
  private progressTimer: NodeJS.Timeout | null = null;
  /** Set while the guard itself rolls back, so its own change does not supersede it. */
  private rollingBack: string | null = null;

  constructor(private readonly options: RouteGuardsOptions) {
    this.now = options.now ?? Date.now;
    options.routes.onChange((change) => {
      if (change.service !== this.rollingBack) this.drop(change.service);
    });
  }

  /** Applies a reroute; with `guard`, watches the version that gained traffic. */
  reroute(input: RerouteInput): ServiceRoute {
    if (!input.guard) return this.withGuard(this.options.routes.reroute(input));
    const thresholds = routeGuardInputSchema.parse(input.guard);
    // The baseline is read before the change, so the window holds only the old route's traffic.
    const snapshot = this.options.telemetry.snapshot();
    const view = this.options.routes.reroute(input);
    const change = view.history[0];
    const before = effectiveWeights(view.versions, change?.before ?? null);
    const gained = view.versions
      .map((version) => ({ version, gain: (view.effectiveWeights[version] ?? 0) - (before[version] ?? 0) }))
      .filter((entry) => entry.gain > 0)
      .sort((a, b) => b.gain - a.gain)[0];
    // A change that moved no traffic leaves nothing to watch.
    if (!gained) return view;
    const baselineVersion =
      view.versions.filter((version) => version !== gained.version && (before[version] ?? 0) > 0).sort((a, b) => (before[b] ?? 0) - (before[a] ?? 0))[0] ??
      null;
    const startedAtMs = this.now();
    const guard: Guard = {
      service: view.service,
      version: gained.version,
      baselineVersion,
      thresholds,
      startedAtMs,
      untilMs: startedAtMs + thresholds.forSeconds * 1000,
      baseline: baselineOf(snapshot, view.service, baselineVersion),
      requests: 0,
      failures: 0,
      latency: newHistogram(),
      state: 'watching',
      reason: null,
      timer: null,
      pushedRequests: 0,
    };
    guard.timer = setTimeout(() => this.timeUp(guard), thresholds.forSeconds * 1000);
    guard.timer.unref();
    this.guards.set(guard.service, guard);
    this.watchTraffic();
    this.changed();
    return this.withGuard(view);
  }

  /** The route view with its service's guard, if it has one. */
  withGuard(view: ServiceRoute): ServiceRoute {
    const guard = this.guards.get(view.service);
    return guard ? { ...view, guard: this.viewOf(guard) } : view;
  }

  /** Told whenever a guard starts, progresses, passes or rolls back. Returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  stop(): void {
    for (const guard of this.guards.values()) if (guard.timer) clearTimeout(guard.timer);
    this.guards.clear();
    this.watchTraffic();
  }

  private readonly recorded = (event: RequestEvent): void => {
    const guard = this.guards.get(event.service);
    if (guard?.state !== 'watching' || event.version !== guard.version || event.startedAt < guard.startedAtMs) return;
    // A CONNECT tunnel is not a request: the requests inside it are counted each (as the stats do).
    if (event.method === 'CONNECT' && event.kind === 'service') return;
    guard.requests++;
    if (event.failed) guard.failures++;
    guard.latency.recordValue(event.timings.end > 0 ? Math.round(event.timings.end * 1000) : 0);
    if (guard.requests < guard.thresholds.minRequests) return;
    const verdict = judgeGuard(this.facts(guard, false));
    if (verdict.kind === 'breach') this.breach(guard, verdict.reason);
  };

  private breach(guard: Guard, reason: string): void {
    // Ended now, so no later event judges it twice; rolled back off the telemetry's notify loop.
    this.end(guard, 'rolled-back', reason);
    queueMicrotask(() => {
      if (this.guards.get(guard.service) !== guard) return; // superseded meanwhile
      this.rollingBack = guard.service;
      try {
        this.options.routes.rollback(guard.service, reason);
      } catch (error) {
        guard.reason = `${reason}; the rollback failed: ${error instanceof Error ? error.message : String(error)}`;
      } finally {
        this.rollingBack = null;
      }
      this.changed();
    });
  }

  private timeUp(guard: Guard): void {
    if (this.guards.get(guard.service) !== guard || guard.state !== 'watching') return;
    const verdict = judgeGuard(this.facts(guard, true));
    if (verdict.kind === 'breach') this.breach(guard, verdict.reason);
    else if (verdict.kind === 'passed') {
      this.end(guard, 'passed', verdict.reason);
      this.changed();
    }
  }

  private end(guard: Guard, state: RouteGuard['state'], reason: string): void {
    guard.state = state;
    guard.reason = reason;
    if (guard.timer) clearTimeout(guard.timer);
    guard.timer = null;
    this.watchTraffic();
  }

  /** Forgets a service's guard (superseded by another change). */
  private drop(service: string): void {
    const guard = this.guards.get(service);
    if (!guard) return;
    if (guard.timer) clearTimeout(guard.timer);
    this.guards.delete(service);
    this.watchTraffic();
  }

  /** Listens to recorded traffic and pushes progress only while some guard watches. */
  private watchTraffic(): void {
    const watching = [...this.guards.values()].some((guard) => guard.state === 'watching');
    if (watching && !this.offRecorded) {
      this.offRecorded = this.options.telemetry.onRecorded(this.recorded);
      this.progressTimer = setInterval(() => this.pushProgress(), this.options.progressEveryMs ?? 500);
      this.progressTimer.unref();
    } else if (!watching && this.offRecorded) {
      this.offRecorded();
      this.offRecorded = null;
      if (this.progressTimer) clearInterval(this.progressTimer);
      this.progressTimer = null;
    }
  }

  private pushProgress(): void {
    let moved = false;
    for (const guard of this.guards.values()) {
      if (guard.state !== 'watching' || guard.requests === guard.pushedRequests) continue;
      guard.pushedRequests = guard.requests;
      moved = true;
    }
    if (moved) this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private facts(guard: Guard, timeUp: boolean) {
    return { thresholds: guard.thresholds, version: guard.version, baseline: guard.baseline, observed: this.observed(guard), timeUp };
  }

  private observed(guard: Guard): GuardSample {
    const { requests, failures } = guard;
    return {
      requests,
      failures,
      successRate: requests === 0 ? null : (requests - failures) / requests,
      p99Ms: requests === 0 ? null : guard.latency.getValueAtPercentile(99) / 1000,
    };
  }

  private viewOf(guard: Guard): RouteGuard {
    return {
      state: guard.state,
      version: guard.version,
      baselineVersion: guard.baselineVersion,
      startedAt: new Date(guard.startedAtMs).toISOString(),
      until: new Date(guard.untilMs).toISOString(),
      thresholds: guard.thresholds,
      baseline: guard.baseline,
      observed: this.observed(guard),
      reason: guard.reason,
    };
  }
}

/** The old version over the stats window before the change; no requests (or no old version): no baseline. */
function baselineOf(snapshot: StatsSnapshot, service: string, version: string | null): GuardSample {
  const stats = version === null ? undefined : snapshot.versions.find((entry) => entry.service === service && entry.version === version)?.stats;
  if (!stats || stats.requests === 0) return { requests: 0, failures: 0, successRate: null, p99Ms: null };
  return { requests: stats.requests, failures: stats.failures, successRate: stats.successRate, p99Ms: stats.latencyMs.p99 };
}
