/**
 * Prometheus text for `/metrics`, through prom-client on a Registry of our own (never the global
 * default one: two meshes in one process, as in tests, must not share or clash).
 *
 * Per-request cost is kept low: prom-client hashes the label values on every inc or observe, even
 * through a child. So each label set (service, version, caller) gets one cached record, found by
 * nested Map lookups on the event's own strings; counts are plain numbers in it, handed to the
 * prom-client counters only when scraped (their `collect`), and the latency histogram's buckets are
 * a typed array in it (bucket-histogram.ts).
 *
 * Label sets are bounded: past `maxLabelSets` (external hosts can be endless), new ones are counted
 * under service="_other", caller="_other".
 *
 * gRPC calls are counted again by gRPC status in a counter of their own, `meshdesk_grpc_calls_total`,
 * rather than under a `grpc_status` label on `meshdesk_requests_total`: that label would multiply
 * every label set's request counts by the 19 values it can take (17 names, `none`, and `""` for
 * plain HTTP: 6 × 2 × 19 numbers per set, though most traffic would only ever use `""`) and give
 * every existing request series a new identity. The separate counts are one small array per label set, allocated
 * on its first gRPC call; an HTTP request pays one property test, and a gRPC call one index.
 *
 * prom-client itself is loaded by the first scrape: it loads @opentelemetry/api (for exemplars) and
 * more, about 4 MB of RSS at start that a mesh nobody scrapes never needs. Counting never waits for
 * it: the counts above are kept without it.
 */
import type { Registry } from 'prom-client';
import type { RequestEvent } from '../../../shared/events.js';
import { grpcStatusName } from '../../../shared/grpc-codes.js';
import { BucketHistogram, type HistogramSeries } from './bucket-histogram.js';

export const METRIC_NAMES = {
  requests: 'meshdesk_requests_total',
  duration: 'meshdesk_request_duration_seconds',
  requestBytes: 'meshdesk_request_bytes_total',
  responseBytes: 'meshdesk_response_bytes_total',
  retries: 'meshdesk_retries_total',
  grpcCalls: 'meshdesk_grpc_calls_total',
} as const;

/** Local latencies: from sub-millisecond to the default 10 s upstream timeout and beyond. */
export const LATENCY_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const LABELS = ['service', 'version', 'caller'] as const;
type Label = (typeof LABELS)[number];
type Labels = Record<Label, string>;

/** Status classes by hundreds; 0 (no response) is `none`. */
const STATUS_CLASSES = ['none', '1xx', '2xx', '3xx', '4xx', '5xx'];

/**
 * `grpc_status` by slot: the 17 codes gRPC defines by name (a code past them counts as UNKNOWN, as
 * a gRPC client reads it), then `none` for a call that ended without a status.
 */
const GRPC_STATUS_LABELS = [...Array.from({ length: 17 }, (_, code) => grpcStatusName(code)), 'none'];
const GRPC_NO_STATUS = GRPC_STATUS_LABELS.length - 1;
const GRPC_UNKNOWN = 2;

interface LabelSet {
  labels: Labels;
  duration: HistogramSeries;
  /** Requests by status class × failed: index `class * 2 + (failed ? 1 : 0)`. */
  requests: Float64Array;
  /** gRPC calls by GRPC_STATUS_LABELS slot; null until the set's first gRPC call. */
  grpcCalls: Float64Array | null;
  bytesIn: number;
  bytesOut: number;
  retries: number;
}

/** What prom-client's Registry answers as its contentType: Prometheus text format 0.0.4. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricsOptions {
  maxLabelSets?: number;
}

export class MeshMetrics {
  private registry: Promise<Registry> | null = null;
  private readonly sets = new Map<string, Map<string, Map<string, LabelSet>>>();
  private readonly all: LabelSet[] = [];
  private readonly maxLabelSets: number;
  private readonly duration: BucketHistogram<Labels>;
  private overflowSet: LabelSet | null = null;

  constructor(options: MetricsOptions = {}) {
    this.maxLabelSets = options.maxLabelSets ?? 5_000;
    this.duration = new BucketHistogram<Labels>(
      METRIC_NAMES.duration,
      'Time from the request reaching the proxy to the end of the response, in seconds.',
      LATENCY_BUCKETS_SECONDS,
    );
  }

  /** The registry, with prom-client loaded and the counters made, on the first scrape. */
  private async openRegistry(): Promise<Registry> {
    const { Counter, Registry } = await import('prom-client');
    const registry = new Registry();
    const registers = [registry];
    this.duration.registerWith(registry);
    const sets = this.all;
    new Counter({
      name: METRIC_NAMES.requests,
      help: 'Requests through the proxy, by classification (success or failure) and status class.',
      labelNames: [...LABELS, 'classification', 'status_class'],
      registers,
      collect() {
        this.reset();
        for (const set of sets) {
          set.requests.forEach((count, index) => {
            if (count === 0) return;
            const classification = index % 2 === 1 ? 'failure' : 'success';
            this.inc({ ...set.labels, classification, status_class: STATUS_CLASSES[index >> 1] as string }, count);
          });
        }
      },
    });
    new Counter({
      name: METRIC_NAMES.grpcCalls,
      help: 'gRPC calls through the proxy, by gRPC status (none: the call ended without one). Each is also counted in meshdesk_requests_total.',
      labelNames: [...LABELS, 'grpc_status'],
      registers,
      collect() {
        this.reset();
        for (const set of sets) {
          set.grpcCalls?.forEach((count, slot) => {
            if (count > 0) this.inc({ ...set.labels, grpc_status: GRPC_STATUS_LABELS[slot] as string }, count);
          });
        }
      },
    });
    const sum = (name: string, help: string, value: (set: LabelSet) => number) =>
      new Counter({
        name,
        help,
        labelNames: LABELS,
        registers,
        collect() {
          this.reset();
          for (const set of sets) this.inc(set.labels, value(set));
        },
      });
    sum(METRIC_NAMES.requestBytes, 'Bytes received from clients (request line, headers and body).', (set) => set.bytesIn);
    sum(METRIC_NAMES.responseBytes, 'Bytes sent to clients (status line, headers and body).', (set) => set.bytesOut);
    sum(METRIC_NAMES.retries, 'Retries the proxy made beyond the first attempt.', (set) => set.retries);
    return registry;
  }

  record(event: RequestEvent): void {
    const set = this.labelSet(event.service, event.version ?? '', event.caller);
    const statusClass = event.status >= 100 && event.status < 600 ? Math.floor(event.status / 100) : 0;
    const index = statusClass * 2 + (event.failed ? 1 : 0);
    set.requests[index] = (set.requests[index] ?? 0) + 1;
    if (event.grpc !== undefined) {
      const calls = (set.grpcCalls ??= new Float64Array(GRPC_STATUS_LABELS.length));
      const code = event.grpc.status;
      const slot = code === null ? GRPC_NO_STATUS : code >= 0 && code < GRPC_NO_STATUS ? code : GRPC_UNKNOWN;
      calls[slot] = (calls[slot] ?? 0) + 1;
    }
    set.bytesIn += event.bytesIn;
    set.bytesOut += event.bytesOut;
    set.retries += event.retries;
    this.duration.observe(set.duration, event.timings.end / 1000);
  }

  async text(): Promise<string> {
    this.registry ??= this.openRegistry();
    return (await this.registry).metrics();
  }

  private labelSet(service: string, version: string, caller: string): LabelSet {
    const known = this.sets.get(service)?.get(version)?.get(caller);
    if (known) return known;
    // Past the cap nothing new is stored, not even an index entry: the overflow set takes it all.
    if (this.all.length >= this.maxLabelSets) return this.overflow();
    let versions = this.sets.get(service);
    if (!versions) {
      versions = new Map();
      this.sets.set(service, versions);
    }
    let callers = versions.get(version);
    if (!callers) {
      callers = new Map();
      versions.set(version, callers);
    }
    const set = this.newSet({ service, version, caller });
    callers.set(caller, set);
    return set;
  }

  private overflow(): LabelSet {
    this.overflowSet ??= this.newSet({ service: '_other', version: '', caller: '_other' });
    return this.overflowSet;
  }

  private newSet(labels: Labels): LabelSet {
    const set = {
      labels,
      duration: this.duration.addSeries(labels),
      requests: new Float64Array(STATUS_CLASSES.length * 2),
      grpcCalls: null,
      bytesIn: 0,
      bytesOut: 0,
      retries: 0,
    };
    this.all.push(set);
    return set;
  }
}
