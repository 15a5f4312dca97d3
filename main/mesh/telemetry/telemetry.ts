/**
 * The telemetry: the one reader of the request-event bus and of the proxy's resilience (ejections,
 * retry budgets). It classifies each exchange once (the event leaves with `failed` and `retries`),
 * folds it into the request log, the sliding-window stats and the Prometheus metrics, answers for
 * all three, and hands recorded events on to whoever shows live traffic (the admin push stream, the
 * shell's tray): nothing downstream reads the proxy, so nothing downstream can judge an exchange
 * differently or see a number the stats do not carry.
 *
 * Recording runs on the proxy's thread right after each exchange, so it does the least it can: the
 * event is completed in place, the log copies its fields into preallocated columns, and the stats
 * and metrics find their series by Map lookups on the event's strings; nothing else is allocated
 * per event once the series exist. Reading (snapshot, query, metrics text) does the heavier work,
 * at the rate the admin API asks.
 */
import type { InstanceEvent, ProxiedExchange, RequestEvent, RequestStart } from '../../../shared/events.js';
import type { Exchange, ExchangeCapture, LogPage, LogQuery } from '../../../shared/exchange.js';
import type { TrafficHealth } from '../../../shared/model.js';
import type { RetryBudgetView, StatsSnapshot } from '../../../shared/stats.js';
import { classified, defaultIsFailure, type FailureClassifier } from './classify.js';
import { MeshMetrics, METRICS_CONTENT_TYPE, type MetricsOptions } from './metrics.js';
import { RequestLog, type RequestLogOptions } from './request-log.js';
import { Stats, type StatsOptions } from './stats.js';

/**
 * The bus as the telemetry reads it: finished exchanges, and routed ones starting (in-flight counts).
 * It delivers in batches; `flush` delivers what waits, so that a read sees every exchange that ended.
 */
export interface RequestBus {
  subscribe(listener: (event: ProxiedExchange, capture?: ExchangeCapture | null) => void): () => unknown;
  subscribeStarts(listener: (start: RequestStart) => void): () => unknown;
  flush(): void;
}

/** What the proxy's resilience reports besides exchanges: ejections and returns, retry budgets, health from traffic. */
export interface ResilienceReport {
  onInstanceEvent(listener: (event: InstanceEvent) => void): () => unknown;
  retryBudgets(): RetryBudgetView[];
  trafficHealth(address: string): TrafficHealth;
}

/** Told each exchange once it is recorded, in the order they were. */
export type RecordedListener = (event: RequestEvent) => void;

/** Told each ejection, return and panic. */
export type InstanceListener = (event: InstanceEvent) => void;

export interface TelemetryOptions {
  log?: RequestLogOptions;
  stats?: StatsOptions;
  metrics?: MetricsOptions;
  isFailure?: FailureClassifier;
  /** Epoch ms; tests pass a clock to step through windows. */
  now?: () => number;
}

/** How often idle series let go of their histograms. */
const SWEEP_EVERY_MS = 5_000;

export class Telemetry {
  readonly stats: Stats;
  readonly metrics: MeshMetrics;
  readonly log: RequestLog;
  private readonly isFailure: FailureClassifier;
  private readonly recordedListeners = new Set<RecordedListener>();
  private readonly instanceListeners = new Set<InstanceListener>();
  private resilience: ResilienceReport | null = null;
  private bus: RequestBus | null = null;
  private readonly now: () => number;
  private nextSweep: number;

  constructor(options: TelemetryOptions = {}) {
    this.now = options.now ?? Date.now;
    this.isFailure = options.isFailure ?? defaultIsFailure;
    this.log = new RequestLog(options.log);
    this.stats = new Stats(options.stats, this.now());
    this.metrics = new MeshMetrics(options.metrics);
    this.nextSweep = this.now() + SWEEP_EVERY_MS;
  }

  /** Subscribes to the bus and, when given, to the proxy's resilience; returns the unsubscribe. */
  attach(bus: RequestBus, resilience?: ResilienceReport): () => void {
    const offEvents = bus.subscribe(this.record);
    const offStarts = bus.subscribeStarts(this.started);
    const offInstances = resilience?.onInstanceEvent(this.instanceEvent);
    this.resilience = resilience ?? null;
    this.bus = bus;
    return () => {
      offEvents();
      offStarts();
      offInstances?.();
      if (this.resilience === resilience) this.resilience = null;
      if (this.bus === bus) this.bus = null;
    };
  }

  /**
   * Listens to recorded exchanges: every one the log gets, service tunnels included (the stats skip
   * those). Returns the unsubscribe. A listener that throws loses its own event, nothing else.
   */
  onRecorded(listener: RecordedListener): () => void {
    this.recordedListeners.add(listener);
    return () => void this.recordedListeners.delete(listener);
  }

  /** Listens to ejections, returns and panics; returns the unsubscribe. */
  onInstanceEvent(listener: InstanceListener): () => void {
    this.instanceListeners.add(listener);
    return () => void this.instanceListeners.delete(listener);
  }

  /** One finished exchange; returns it as recorded. A bound arrow: it is the bus listener. */
  readonly record = (exchange: ProxiedExchange, capture?: ExchangeCapture | null): RequestEvent => {
    const now = this.now();
    const event = classified(exchange, this.isFailure);
    this.log.add(event, capture);
    if (!isServiceTunnel(event) && !isShadowCopy(event)) {
      this.stats.record(event, now);
      this.metrics.record(event);
      if (now >= this.nextSweep) {
        this.nextSweep = now + SWEEP_EVERY_MS;
        this.stats.sweep(now);
      }
    }
    notify(this.recordedListeners, event);
    return event;
  };

  /** One request starting (the in-flight hook). */
  readonly started = (start: RequestStart): void => {
    this.stats.started(start);
  };

  private readonly instanceEvent = (event: InstanceEvent): void => {
    notify(this.instanceListeners, event);
  };

  /** The sliding-window stats, with the retry budgets as the proxy keeps them. */
  snapshot(): StatsSnapshot {
    this.bus?.flush();
    const snapshot = this.stats.snapshot(this.now());
    if (this.resilience) snapshot.retryBudgets = this.resilience.retryBudgets();
    return snapshot;
  }

  /** What the proxy's traffic says of an instance's health; unknown while no proxy is attached. */
  trafficHealth(address: string): TrafficHealth {
    return this.resilience?.trafficHealth(address) ?? { state: 'unknown', reason: null, lastSeen: null };
  }

  query(query: Partial<LogQuery> = {}): LogPage {
    this.bus?.flush();
    return this.log.query(query);
  }

  /** One logged exchange by its event id; null once the log no longer holds it. */
  exchange(id: number, reveal = false): Exchange | null {
    this.bus?.flush();
    return this.log.findById(id, reveal);
  }

  /** Empties the request log (the stats and metrics keep counting); returns how many it held. */
  clearLog(): number {
    this.bus?.flush();
    return this.log.clear();
  }

  metricsText(): Promise<string> {
    this.bus?.flush();
    return this.metrics.text();
  }

  get metricsContentType(): string {
    return METRICS_CONTENT_TYPE;
  }
}

/**
 * A CONNECT tunnel to a service is logged but never counted as a request: the requests inside it
 * are counted each (service-tunnel.ts), and an opaque (TLS) tunnel's requests cannot be, so one
 * row per tunnel would skew request rates, success rates and latencies alike.
 */
function isServiceTunnel(event: RequestEvent): boolean {
  return event.method === 'CONNECT' && event.kind === 'service';
}

/**
 * A copy the mesh sent itself (shadow/) is logged but never counted: the caller never saw it, so it
 * must not move the caller's edge, the service's success rate or a guard's verdict on its version.
 */
function isShadowCopy(event: RequestEvent): boolean {
  return event.flags !== undefined && event.flags.includes('shadow');
}

/** Calls each listener; one that throws loses its own call, nothing else. */
function notify<T>(listeners: Set<(value: T) => void>, value: T): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch {
      // A consumer's bug must not stop the proxy's thread or the other consumers.
    }
  }
}
