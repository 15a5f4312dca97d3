/**
 * The services as every reader gets them (the admin API, the push stream, the CLI): the registry's
 * view, each instance carrying its health from traffic beside its check's. The verdicts are read
 * from the telemetry when a view is built, never pushed by the proxy, so the push stream learns of
 * a change by looking: `publishIfTrafficChanged` runs on the mesh's once-a-second timer and sends
 * the services only when some instance's traffic state or reason moved (an instance falling idle
 * included, which no request would announce).
 */
import type { ServiceView, TrafficHealth } from '../../shared/model.js';
import type { PushItem } from '../../shared/push.js';
import type { Registry } from './registry/registry.js';

/** Where the verdicts come from: the telemetry, the one reader of the proxy's resilience. */
export interface TrafficHealthSource {
  trafficHealth(address: string): TrafficHealth;
}

/** Where the services go: the admin push stream. */
export interface ServicesSink {
  publish(item: PushItem): void;
}

export class ServiceViews {
  /** The traffic verdicts of the services last published, as one string. */
  private published = '';

  constructor(
    private readonly registry: Registry,
    private readonly source: TrafficHealthSource,
    private readonly push: ServicesSink,
  ) {}

  list(): ServiceView[] {
    const services = this.registry.list();
    for (const service of services) {
      for (const version of service.versions) {
        for (const instance of version.instances) instance.traffic = this.source.trafficHealth(instance.address);
      }
    }
    return services;
  }

  /** Publishes the services now (the registry changed). */
  publishNow(): void {
    const services = this.list();
    this.published = trafficSignature(services);
    this.push.publish({ kind: 'services', services });
  }

  /** Publishes the services when an instance's health from traffic changed since the last time. */
  publishIfTrafficChanged(): void {
    const services = this.list();
    const signature = trafficSignature(services);
    if (signature === this.published) return;
    this.published = signature;
    this.push.publish({ kind: 'services', services });
  }
}

/** What the view shows of traffic health; `lastSeen` moves with every request and is left out. */
function trafficSignature(services: readonly ServiceView[]): string {
  const parts: string[] = [];
  for (const service of services) {
    for (const version of service.versions) {
      for (const instance of version.instances) parts.push(`${instance.address}=${instance.traffic?.state}:${instance.traffic?.reason ?? ''}`);
    }
  }
  return parts.join('|');
}
