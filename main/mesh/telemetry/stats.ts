/**
 * Sliding-window stats per service, version, instance and edge, folded from request events.
 *
 * The series form a tree under each service (versions, instances, callers and caller@version), found
 * with Map lookups on the event's own strings: folding an event allocates nothing once its series
 * exist. Memory is bounded by `maxServices` (default 500): past it, the service seen longest ago is
 * forgotten with its series. External hosts are the only traffic that can grow without end; they
 * get no instance series (their instance is their host) and a busy one costs about 30 KiB with its metrics.
 *
 * In-flight counts need to know when a request starts, which request events (sent at the end) do
 * not say: `started` takes that hook. What it incremented is remembered by event id, so the end
 * undoes exactly that even if the caller or the instance changed meanwhile (attribution settled,
 * a retry went elsewhere).
 */
import type { RequestEvent, RequestStart } from '../../../shared/events.js';
import type { StatsSnapshot } from '../../../shared/stats.js';
import { InFlightTable } from './in-flight-table.js';
import { DEFAULT_WINDOW, WindowSeries, type WindowOptions } from './window-series.js';

export interface StatsOptions extends Partial<WindowOptions> {
  /** Services (and external hosts) tracked at once. */
  maxServices?: number;
}

interface EdgeNode {
  series: WindowSeries;
  versions: Map<string, WindowSeries>;
}

interface InstanceNode {
  series: WindowSeries;
  version: string | null;
}

interface ServiceNode {
  name: string;
  kind: string;
  series: WindowSeries;
  versions: Map<string, WindowSeries>;
  instances: Map<string, InstanceNode>;
  callers: Map<string, EdgeNode>;
}

/** Requests whose end never came (a proxy bug) must not grow the in-flight table without end. */
const MAX_IN_FLIGHT_TRACKED = 100_000;

export class Stats {
  private readonly window: WindowOptions;
  private readonly maxServices: number;
  private readonly mesh: WindowSeries;
  private readonly services = new Map<string, ServiceNode>();
  private readonly inFlight = new InFlightTable<WindowSeries>();

  constructor(
    options: StatsOptions = {},
    private readonly startedAt = Date.now(),
  ) {
    this.window = {
      windowSeconds: options.windowSeconds ?? DEFAULT_WINDOW.windowSeconds,
      rpsWindowSeconds: options.rpsWindowSeconds ?? DEFAULT_WINDOW.rpsWindowSeconds,
      latencyBuckets: options.latencyBuckets ?? DEFAULT_WINDOW.latencyBuckets,
    };
    this.maxServices = options.maxServices ?? 500;
    this.mesh = new WindowSeries(this.window);
  }

  record(event: RequestEvent, nowMs: number): void {
    this.inFlight.take(event.id, releaseBoth);
    const latency = event.timings.end;
    const { bytesIn, bytesOut, failed, retries } = event;
    const service = this.serviceNode(event.service, event.kind);
    this.mesh.record(nowMs, latency, failed, bytesIn, bytesOut, retries);
    service.series.record(nowMs, latency, failed, bytesIn, bytesOut, retries);
    const edge = this.edgeNode(service, event.caller);
    edge.series.record(nowMs, latency, failed, bytesIn, bytesOut, retries);
    if (event.version !== null) {
      this.versionSeries(service, event.version).record(nowMs, latency, failed, bytesIn, bytesOut, retries);
      this.edgeVersionSeries(service, edge, event.version).record(nowMs, latency, failed, bytesIn, bytesOut, retries);
    }
    if (event.instance !== null && event.kind !== 'external') {
      this.instanceNode(service, event.instance, event.version).series.record(nowMs, latency, failed, bytesIn, bytesOut, retries);
    }
  }

  /** The start of a request, for in-flight counts. Optional: without it in-flight stays 0. */
  started(start: RequestStart): void {
    if (this.inFlight.size >= MAX_IN_FLIGHT_TRACKED) this.forgetOldestInFlight();
    const service = this.serviceNode(start.service, start.kind);
    const edge = this.edgeNode(service, start.caller);
    const leaf = start.version === null ? edge.series : this.edgeVersionSeries(service, edge, start.version);
    hold(leaf);
    let instance: WindowSeries | null = null;
    if (start.instance !== null && start.kind !== 'external') {
      instance = this.instanceNode(service, start.instance, start.version).series;
      hold(instance);
    }
    this.inFlight.set(start.id, leaf, instance);
  }

  snapshot(nowMs: number): StatsSnapshot {
    const since = this.startedAt;
    const snapshot: StatsSnapshot = {
      at: nowMs,
      windowSeconds: this.window.windowSeconds,
      rpsWindowSeconds: this.window.rpsWindowSeconds,
      mesh: this.mesh.read(nowMs, since),
      services: [],
      versions: [],
      instances: [],
      edges: [],
    };
    for (const node of this.services.values()) {
      const service = node.name;
      snapshot.services.push({ service, kind: node.kind, stats: node.series.read(nowMs, since) });
      for (const [version, series] of node.versions) snapshot.versions.push({ service, version, stats: series.read(nowMs, since) });
      for (const [instance, { series, version }] of node.instances) {
        snapshot.instances.push({ service, version, instance, stats: series.read(nowMs, since) });
      }
      for (const [caller, edge] of node.callers) {
        snapshot.edges.push({ caller, service, version: null, stats: edge.series.read(nowMs, since) });
        for (const [version, series] of edge.versions) snapshot.edges.push({ caller, service, version, stats: series.read(nowMs, since) });
      }
    }
    return snapshot;
  }

  /**
   * Frees the histograms of series that went idle, which otherwise happens only when they are read
   * or record again. Cheap (a dozen slots per series); call it every few seconds.
   */
  sweep(nowMs: number): void {
    this.mesh.settle(nowMs);
    for (const node of this.services.values()) {
      node.series.settle(nowMs);
      for (const series of node.versions.values()) series.settle(nowMs);
      for (const { series } of node.instances.values()) series.settle(nowMs);
      for (const edge of node.callers.values()) {
        edge.series.settle(nowMs);
        for (const series of edge.versions.values()) series.settle(nowMs);
      }
    }
  }

  private serviceNode(name: string, kind: string): ServiceNode {
    let node = this.services.get(name);
    if (!node) {
      if (this.services.size >= this.maxServices) this.forgetLeastRecentService();
      node = { name, kind, series: new WindowSeries(this.window, [this.mesh]), versions: new Map(), instances: new Map(), callers: new Map() };
      this.services.set(name, node);
    }
    return node;
  }

  private edgeNode(service: ServiceNode, caller: string): EdgeNode {
    let edge = service.callers.get(caller);
    if (!edge) {
      edge = { series: new WindowSeries(this.window, [service.series, this.mesh]), versions: new Map() };
      service.callers.set(caller, edge);
    }
    return edge;
  }

  private versionSeries(service: ServiceNode, version: string): WindowSeries {
    let series = service.versions.get(version);
    if (!series) {
      series = new WindowSeries(this.window);
      service.versions.set(version, series);
    }
    return series;
  }

  private edgeVersionSeries(service: ServiceNode, edge: EdgeNode, version: string): WindowSeries {
    let series = edge.versions.get(version);
    if (!series) {
      const versionSeries = this.versionSeries(service, version);
      series = new WindowSeries(this.window, [edge.series, versionSeries, service.series, this.mesh]);
      edge.versions.set(version, series);
    }
    return series;
  }

  private instanceNode(service: ServiceNode, instance: string, version: string | null): InstanceNode {
    let node = service.instances.get(instance);
    if (!node) {
      node = { series: new WindowSeries(this.window), version };
      service.instances.set(instance, node);
    } else if (version !== null && node.version !== version) {
      node.version = version;
    }
    return node;
  }

  /** Forgets the service seen longest ago (its in-flight requests still end harmlessly). */
  private forgetLeastRecentService(): void {
    let oldest: ServiceNode | null = null;
    for (const node of this.services.values()) {
      if (!oldest || (node.series.lastSeen ?? -1) < (oldest.series.lastSeen ?? -1)) oldest = node;
    }
    if (oldest) this.services.delete(oldest.name);
  }

  private forgetOldestInFlight(): void {
    const oldest = this.inFlight.oldest();
    if (oldest !== null) this.inFlight.take(oldest, releaseBoth);
  }
}

function hold(series: WindowSeries): void {
  series.inFlight++;
  for (const parent of series.parents) parent.inFlight++;
}

function releaseBoth(leaf: WindowSeries, instance: WindowSeries | null): void {
  release(leaf);
  if (instance !== null) release(instance);
}

function release(series: WindowSeries): void {
  series.inFlight--;
  for (const parent of series.parents) parent.inFlight--;
}
