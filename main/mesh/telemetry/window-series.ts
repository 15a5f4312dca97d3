/**
 * One series of the stats (a service, a version, an instance, an edge): a sliding window of counts
 * in 1 s buckets, latency in HDR histograms, in-flight requests and totals since start.
 *
 * Cheap per request, bounded in memory, exact where it can be:
 * - Counts live in one Float64Array ring (a slot per second, stamped with its second); a slot is
 *   cleared when a new second reuses it, and reads skip slots older than the window.
 * - Latency rotates coarser, in `latencyBuckets` histograms (default 6 × 10 s, as Hystrix keeps its
 *   rolling percentiles): a histogram per second per series would cost megabytes. Each request is
 *   recorded in its bucket and in a running window histogram; a bucket that leaves the window is
 *   subtracted from it. Reading p50/p95/p99 is then one pass over one histogram, not a merge of six.
 *   A histogram of millisecond latencies takes about 5 KB, so buckets are what a big mesh's stats
 *   weigh: with 200 services (2,400 series) the mesh was at 285 MB after a minute of traffic with
 *   12 × 5 s buckets, at 223 MB with 6 × 10 s; the window's latency then moves in 10 s steps.
 * - Histograms are made on first use and dropped when the series goes idle for a whole window, so an
 *   idle series costs a few hundred bytes.
 * - hdr-histogram-js, 2 significant digits (values within 1%), in microseconds, resizing to the
 *   largest value seen; pure JS, so it runs the same in Node, Electron and tests. Its Int32Histogram
 *   is what `build({ bitBucketSize: 32, useWebAssembly: false })` makes; required from its own file,
 *   because the package's index also loads its WebAssembly build (pako, an AssemblyScript loader,
 *   the module as base64), which the mesh never uses: 14 MB of RSS in a bare Node 22 (71.2 MB with
 *   the index, 57.4 MB with this file alone).
 */
import { createRequire } from 'node:module';
import type { Histogram } from 'hdr-histogram-js';
import type { SeriesStats } from '../../../shared/stats.js';

export interface WindowOptions {
  windowSeconds: number;
  rpsWindowSeconds: number;
  latencyBuckets: number;
}

export const DEFAULT_WINDOW: WindowOptions = { windowSeconds: 60, rpsWindowSeconds: 10, latencyBuckets: 6 };

const REQUESTS = 0;
const FAILURES = 1;
const BYTES_IN = 2;
const BYTES_OUT = 3;
const RETRIES = 4;
const FIELDS = 5;

/** A typed-array read; indexes here are always in range, `?? 0` only satisfies the checker. */
function at(array: Float64Array, index: number): number {
  return array[index] ?? 0;
}

type HistogramClass = new (lowestDiscernibleValue: number, highestTrackableValue: number, numberOfSignificantValueDigits: number) => Histogram;
const Int32Histogram = (createRequire(import.meta.url)('hdr-histogram-js/dist/Int32Histogram.js') as { default: HistogramClass }).default;

/** A latency histogram in microseconds, 2 significant digits (within 1%), resizing as it fills. */
export function newHistogram(): Histogram {
  const histogram = new Int32Histogram(1, 2, 2);
  histogram.autoResize = true;
  return histogram;
}

export class WindowSeries {
  inFlight = 0;
  lastSeen: number | null = null;
  /** Series whose in-flight count moves with this one's (a leaf's ancestors). */
  readonly parents: readonly WindowSeries[];
  private readonly secondOf: Float64Array;
  private readonly counts: Float64Array;
  private readonly bucketOf: Float64Array;
  private readonly bucketMax: Float64Array;
  private readonly buckets: (Histogram | null)[];
  private window: Histogram | null = null;
  /** The latency bucket the last expiry pass ran for: the pass is needed once per bucket, not per request. */
  private expiredFor = -1;
  private readonly bucketSeconds: number;
  private readonly totals = { requests: 0, failures: 0, bytesIn: 0, bytesOut: 0, retries: 0 };

  constructor(
    private readonly options: WindowOptions,
    parents: readonly WindowSeries[] = [],
  ) {
    this.parents = parents;
    this.secondOf = new Float64Array(options.windowSeconds).fill(-1);
    this.counts = new Float64Array(options.windowSeconds * FIELDS);
    this.bucketOf = new Float64Array(options.latencyBuckets).fill(-1);
    this.bucketMax = new Float64Array(options.latencyBuckets);
    this.buckets = new Array<Histogram | null>(options.latencyBuckets).fill(null);
    this.bucketSeconds = Math.max(1, Math.ceil(options.windowSeconds / options.latencyBuckets));
  }

  record(nowMs: number, latencyMs: number, failed: boolean, bytesIn: number, bytesOut: number, retries: number): void {
    const second = Math.floor(nowMs / 1000);
    const slot = second % this.options.windowSeconds;
    const base = slot * FIELDS;
    if (this.secondOf[slot] !== second) {
      this.secondOf[slot] = second;
      this.counts.fill(0, base, base + FIELDS);
    }
    const counts = this.counts;
    counts[base + REQUESTS] = at(counts, base + REQUESTS) + 1;
    if (failed) counts[base + FAILURES] = at(counts, base + FAILURES) + 1;
    counts[base + BYTES_IN] = at(counts, base + BYTES_IN) + bytesIn;
    counts[base + BYTES_OUT] = at(counts, base + BYTES_OUT) + bytesOut;
    counts[base + RETRIES] = at(counts, base + RETRIES) + retries;

    const totals = this.totals;
    totals.requests++;
    if (failed) totals.failures++;
    totals.bytesIn += bytesIn;
    totals.bytesOut += bytesOut;
    totals.retries += retries;
    this.lastSeen = nowMs;

    const micros = latencyMs > 0 ? Math.round(latencyMs * 1000) : 0;
    const bucket = Math.floor(second / this.bucketSeconds);
    if (bucket !== this.expiredFor) this.expire(bucket);
    const latencySlot = bucket % this.options.latencyBuckets;
    if (this.bucketOf[latencySlot] !== bucket) {
      // Only after the clock went backwards can the slot still hold a live bucket: take it out.
      if (at(this.bucketOf, latencySlot) >= 0) this.drop(latencySlot);
      this.bucketOf[latencySlot] = bucket;
    }
    const histogram = (this.buckets[latencySlot] ??= newHistogram());
    histogram.recordValue(micros);
    (this.window ??= newHistogram()).recordValue(micros);
    if (micros > at(this.bucketMax, latencySlot)) this.bucketMax[latencySlot] = micros;
  }

  /** Lets go of latency that left the window: what a read does, without the reading. */
  settle(nowMs: number): void {
    this.expire(Math.floor(Math.floor(nowMs / 1000) / this.bucketSeconds));
  }

  read(nowMs: number, sinceMs: number): SeriesStats {
    const second = Math.floor(nowMs / 1000);
    this.expire(Math.floor(second / this.bucketSeconds));
    const windowSeconds = this.options.windowSeconds;
    const rpsSeconds = this.options.rpsWindowSeconds;
    const sum = new Float64Array(FIELDS);
    let recent = 0;
    for (let slot = 0; slot < windowSeconds; slot++) {
      const stamp = at(this.secondOf, slot);
      const age = second - stamp;
      if (stamp < 0 || age < 0 || age >= windowSeconds) continue;
      for (let field = 0; field < FIELDS; field++) sum[field] = at(sum, field) + at(this.counts, slot * FIELDS + field);
      if (age < rpsSeconds) recent += at(this.counts, slot * FIELDS + REQUESTS);
    }
    // The current second is partly over: divide by the time the counted seconds really cover, and
    // never by more than the mesh has been up, nor by less than a second (a burst is not a rate).
    const covered = Math.min(rpsSeconds - 1 + (nowMs % 1000) / 1000, (nowMs - sinceMs) / 1000);
    const requests = at(sum, REQUESTS);
    const failures = at(sum, FAILURES);
    return {
      rps: recent / Math.max(1, covered),
      requests,
      failures,
      successRate: requests === 0 ? null : (requests - failures) / requests,
      latencyMs: this.latency(),
      bytesIn: at(sum, BYTES_IN),
      bytesOut: at(sum, BYTES_OUT),
      retries: at(sum, RETRIES),
      inFlight: this.inFlight,
      totals: { ...this.totals },
      lastSeen: this.lastSeen,
    };
  }

  private latency(): SeriesStats['latencyMs'] {
    const window = this.window;
    if (!window || window.totalCount === 0) return { p50: null, p95: null, p99: null, max: null };
    let max = 0;
    for (let slot = 0; slot < this.bucketMax.length; slot++) {
      if (at(this.bucketOf, slot) >= 0) max = Math.max(max, at(this.bucketMax, slot));
    }
    const ms = (percentile: number) => Math.min(window.getValueAtPercentile(percentile), max) / 1000;
    return { p50: ms(50), p95: ms(95), p99: ms(99), max: max / 1000 };
  }

  /** Takes latency buckets older than the window out of it; drops the histograms once all are out. */
  private expire(currentBucket: number): void {
    this.expiredFor = currentBucket;
    const oldestLive = currentBucket - this.options.latencyBuckets + 1;
    let live = 0;
    for (let slot = 0; slot < this.bucketOf.length; slot++) {
      const bucket = at(this.bucketOf, slot);
      if (bucket < 0) continue;
      if (bucket >= oldestLive) {
        live++;
        continue;
      }
      this.drop(slot);
    }
    if (live === 0 && this.window) {
      this.window = null;
      this.buckets.fill(null);
    }
  }

  private drop(slot: number): void {
    const histogram = this.buckets[slot];
    if (histogram && this.window) this.window.subtract(histogram);
    histogram?.reset();
    this.bucketOf[slot] = -1;
    this.bucketMax[slot] = 0;
  }
}
