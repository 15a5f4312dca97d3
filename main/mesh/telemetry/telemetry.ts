/**
 * The telemetry: one listener on the request-event bus that folds each event into the request
 * log, the sliding-window stats and the Prometheus metrics, and answers for all three.
 *
 * Folding runs on the proxy's thread right after each exchange, so it does the least it can: the
 * event is classified once, the log stores the event object itself, and the stats and metrics find
 * their series by Map lookups on the event's strings; nothing else is allocated per event once
 * the series exist. Reading (snapshot, query, metrics text) does the heavier work, at the rate the
 * admin API asks.
 */
import type { RequestEvent } from '../../../shared/events.js';
import type { Exchange, ExchangeCapture, LogPage, LogQuery } from '../../../shared/exchange.js';
import type { StatsSnapshot } from '../../../shared/stats.js';
import { defaultIsFailure, type FailureClassifier } from './classify.js';
import { MeshMetrics, type MetricsOptions } from './metrics.js';
import { RequestLog, type RequestLogOptions } from './request-log.js';
import { Stats, type RequestStart, type StatsOptions } from './stats.js';

export type { RequestStart } from './stats.js';

export type RequestListener = (event: RequestEvent, capture?: ExchangeCapture | null) => void;

/**
 * The bus as the telemetry needs it: today's RequestEvents has `subscribe`; `subscribeStarts` is
 * the proposed start hook, used when the bus has it (in-flight counts stay 0 otherwise).
 */
export interface RequestBus {
  subscribe(listener: RequestListener): () => unknown;
  subscribeStarts?(listener: (start: RequestStart) => void): () => unknown;
}

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
  private requestLog: RequestLog;
  private isFailure: FailureClassifier;
  private readonly now: () => number;
  private nextSweep: number;

  constructor(options: TelemetryOptions = {}) {
    this.now = options.now ?? Date.now;
    this.isFailure = options.isFailure ?? defaultIsFailure;
    this.requestLog = new RequestLog(options.log);
    this.stats = new Stats(options.stats, this.now());
    this.metrics = new MeshMetrics(options.metrics);
    this.nextSweep = this.now() + SWEEP_EVERY_MS;
  }

  get log(): RequestLog {
    return this.requestLog;
  }

  /**
   * Applies the request log's options and the failure classifier after construction: the mesh
   * reads them from meshdesk.yaml at start, after its parts were wired. Meant for before traffic
   * flows: the log is made anew, empty, since its columns are sized to its capacity.
   */
  configure(options: Pick<TelemetryOptions, 'log' | 'isFailure'>): void {
    this.requestLog = new RequestLog(options.log);
    this.isFailure = options.isFailure ?? defaultIsFailure;
  }

  /** Subscribes to the bus; returns the unsubscribe. */
  attach(bus: RequestBus): () => void {
    const offEvents = bus.subscribe(this.record);
    const offStarts = bus.subscribeStarts?.(this.started);
    return () => {
      offEvents();
      offStarts?.();
    };
  }

  /** One finished exchange. A bound arrow: it is the bus listener. */
  readonly record = (event: RequestEvent, capture?: ExchangeCapture | null): void => {
    const now = this.now();
    const failed = this.isFailure(event);
    this.log.add(event, failed, capture);
    if (isServiceTunnel(event)) return;
    this.stats.record(event, failed, now);
    this.metrics.record(event, failed);
    if (now >= this.nextSweep) {
      this.nextSweep = now + SWEEP_EVERY_MS;
      this.stats.sweep(now);
    }
  };

  /** One request starting (the in-flight hook). */
  readonly started = (start: RequestStart): void => {
    this.stats.started(start);
  };

  snapshot(): StatsSnapshot {
    return this.stats.snapshot(this.now());
  }

  query(query: Partial<LogQuery> = {}): LogPage {
    return this.log.query(query);
  }

  /** One logged exchange by its event id; null once the log no longer holds it. */
  exchange(id: number, reveal = false): Exchange | null {
    return this.log.findById(id, reveal);
  }

  /** Empties the request log (the stats and metrics keep counting); returns how many it held. */
  clearLog(): number {
    return this.log.clear();
  }

  metricsText(): Promise<string> {
    return this.metrics.text();
  }

  get metricsContentType(): string {
    return this.metrics.contentType;
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
