/**
 * The registry: which services exist, their versions, and the instances serving each version.
 * Each source (the config file, later `disco/`, the CLI and the GUI) replaces its own entries;
 * the registry merges them and tells listeners once per effective change.
 */
import type { ServiceView } from '../../../shared/model.js';

export interface InstanceEntry {
  service: string;
  version: string;
  /** `host:port`. */
  address: string;
  /** Where the user declared it, e.g. `meshdesk.yaml:12`. */
  origin: string;
}

export type InstanceHealth = 'unknown' | 'healthy' | 'failing';

export interface Instance {
  address: string;
  host: string;
  port: number;
  origin: string;
  /** From active health checks; an instance without a check stays `unknown` and is routable. */
  health: InstanceHealth;
}

/** The instances the proxy may send traffic to. */
export function routable(instances: readonly Instance[]): Instance[] {
  return instances.filter((instance) => instance.health !== 'failing');
}

export interface ServiceRecord {
  name: string;
  /** Versions in the order they were declared; the first is the default route. */
  versions: ReadonlyMap<string, readonly Instance[]>;
}

type ChangeListener = () => void;

export class Registry {
  private readonly sources = new Map<string, readonly InstanceEntry[]>();
  private services = new Map<string, ServiceRecord>();
  private readonly listeners = new Set<ChangeListener>();

  /** Replaces everything `source` contributed. Listeners hear of it only if the merged view changed. */
  replaceSource(source: string, entries: readonly InstanceEntry[]): void {
    this.sources.set(source, entries);
    const next = merge(this.sources);
    if (sameServices(this.services, next)) return;
    this.services = next;
    for (const listener of this.listeners) listener();
  }

  /** Service names are case-insensitive, as host names are. */
  lookup(name: string): ServiceRecord | undefined {
    return this.services.get(name.toLowerCase());
  }

  list(): ServiceView[] {
    return [...this.services.values()].map((service) => ({
      name: service.name,
      versions: [...service.versions].map(([name, instances]) => ({
        name,
        instances: instances.map(({ address, host, port, origin }) => ({ address, host, port, origin })),
      })),
    }));
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function parseAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const rawHost = address.slice(0, colon);
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  return { host, port: Number(address.slice(colon + 1)) };
}

function merge(sources: ReadonlyMap<string, readonly InstanceEntry[]>): Map<string, ServiceRecord> {
  const services = new Map<string, { name: string; versions: Map<string, Instance[]> }>();
  for (const entries of sources.values()) {
    for (const entry of entries) {
      const key = entry.service.toLowerCase();
      let service = services.get(key);
      if (!service) {
        service = { name: key, versions: new Map() };
        services.set(key, service);
      }
      let instances = service.versions.get(entry.version);
      if (!instances) {
        instances = [];
        service.versions.set(entry.version, instances);
      }
      if (instances.some((instance) => instance.address === entry.address)) continue;
      instances.push({ address: entry.address, ...parseAddress(entry.address), origin: entry.origin, health: 'unknown' });
    }
  }
  return services;
}

function sameServices(a: ReadonlyMap<string, ServiceRecord>, b: ReadonlyMap<string, ServiceRecord>): boolean {
  const shape = (services: ReadonlyMap<string, ServiceRecord>) =>
    JSON.stringify([...services.values()].map((s) => [s.name, [...s.versions]]));
  return shape(a) === shape(b);
}
