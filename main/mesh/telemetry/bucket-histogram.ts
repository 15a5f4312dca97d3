/**
 * A Prometheus histogram whose buckets are plain counts in a typed array per label set, handed to
 * prom-client's registry only when scraped. prom-client's own Histogram builds a label object and
 * hashes it into a string on every observe, even through a child; on the proxy's hot path that was
 * an allocation and a hash per request for a number that is read every 15 s at most.
 *
 * It is registered with a registry as prom-client's metrics are (`name`, `help`, `type` and an
 * async `get`), and its text is prom-client's: `_bucket` lines with cumulative counts and `le`,
 * then `_sum` and `_count`.
 */
import type { Metric, Registry } from 'prom-client';

export interface HistogramSeries {
  /** Counts per bucket, the last one for +Inf; not cumulative. */
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

interface Exported {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
}

export class BucketHistogram<Labels extends Record<string, string>> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series: { labels: Labels; values: HistogramSeries }[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly upperBounds: readonly number[],
  ) {}

  registerWith(registry: Registry): void {
    // The registry only reads name, help, type and get(); see the header.
    registry.registerMetric(this as unknown as Metric);
  }

  /** A new series for one label set; keep it and `observe` into it. */
  addSeries(labels: Labels): HistogramSeries {
    const values = { buckets: new Float64Array(this.upperBounds.length + 1), sum: 0, count: 0 };
    this.series.push({ labels, values });
    return values;
  }

  observe(series: HistogramSeries, value: number): void {
    const bounds = this.upperBounds;
    let bucket = 0;
    while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket++;
    series.buckets[bucket] = (series.buckets[bucket] as number) + 1;
    series.sum += value;
    series.count++;
  }

  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Exported[] }> {
    const values: Exported[] = [];
    for (const { labels, values: series } of this.series) {
      let cumulative = 0;
      series.buckets.forEach((count, index) => {
        cumulative += count;
        const le = index < this.upperBounds.length ? (this.upperBounds[index] as number) : '+Inf';
        values.push({ labels: { ...labels, le }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels, value: series.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: series.count, metricName: `${this.name}_count` });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }
}
