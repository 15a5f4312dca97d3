/**
 * A short client-side history of the golden metrics, for the panel's sparklines: the mesh pushes a
 * stats snapshot about once a second and keeps no history itself. Each service, version and
 * instance gets a bounded series (`capacity` samples, three minutes by default); a key that stops
 * appearing is dropped once its last sample is as old as the window, so memory stays bounded as
 * services come and go. Adding the same snapshot twice is a no-op, which makes it safe to feed from
 * a render that React may repeat.
 */
import type { SeriesStats, StatsSnapshot } from '../../../shared/stats.js';

export interface Sample {
  at: number;
  rps: number;
  successRate: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export type Metric = Exclude<keyof Sample, 'at'>;

export const historyKey = {
  service: (service: string) => `s ${service}`,
  version: (service: string, version: string) => `v ${service} ${version}`,
  instance: (service: string, instance: string) => `i ${service} ${instance}`,
  /** A caller's edge to a service, or to one version of it. */
  edge: (caller: string, service: string, version: string | null) => `e ${caller} ${service} ${version ?? ''}`,
};

export class StatsHistory {
  /** Per key: its samples and the number of the last snapshot that mentioned it. */
  private readonly series = new Map<string, { samples: Sample[]; lastSeen: number }>();
  private lastAt = -Infinity;
  private count = 0;

  constructor(readonly capacity = 180) {}

  /** Folds a snapshot in; false when it was already in (or older than the newest). */
  add(snapshot: StatsSnapshot): boolean {
    if (snapshot.at <= this.lastAt) return false;
    this.lastAt = snapshot.at;
    this.count++;
    for (const entry of snapshot.services) this.push(historyKey.service(entry.service), snapshot.at, entry.stats);
    for (const entry of snapshot.versions) this.push(historyKey.version(entry.service, entry.version), snapshot.at, entry.stats);
    for (const entry of snapshot.instances) this.push(historyKey.instance(entry.service, entry.instance), snapshot.at, entry.stats);
    for (const entry of snapshot.edges) this.push(historyKey.edge(entry.caller, entry.service, entry.version), snapshot.at, entry.stats);
    // Sweeping once per `capacity` snapshots keeps the cost per snapshot flat.
    if (this.count % this.capacity === 0) {
      for (const [key, entry] of this.series) if (entry.lastSeen <= this.count - this.capacity) this.series.delete(key);
    }
    return true;
  }

  samples(key: string): readonly Sample[] {
    return this.series.get(key)?.samples ?? [];
  }

  values(key: string, metric: Metric): (number | null)[] {
    return this.samples(key).map((sample) => sample[metric]);
  }

  /** How many series are kept. */
  get size(): number {
    return this.series.size;
  }

  private push(key: string, at: number, stats: SeriesStats): void {
    let entry = this.series.get(key);
    if (!entry) {
      entry = { samples: [], lastSeen: this.count };
      this.series.set(key, entry);
    }
    entry.lastSeen = this.count;
    const { samples } = entry;
    samples.push({ at, rps: stats.rps, successRate: stats.successRate, p50: stats.latencyMs.p50, p95: stats.latencyMs.p95, p99: stats.latencyMs.p99 });
    if (samples.length > this.capacity) samples.splice(0, samples.length - this.capacity);
  }
}
