/**
 * The registry: which services exist, their versions, and the instances serving each version.
 * Each source (meshdesk.yaml, disco/, runtime registrations) replaces its own entries wholesale;
 * the registry merges them (the first source to name an instance wins, so its origin is shown) and
 * tells listeners once per effective change: a save that changes nothing is silent, which keeps the
 * proxy and the UI from churning on every editor save.
 *
 * The merged view is immutable: a change builds new records, so the proxy can read `lookup()` on its
 * hot path without locks or copies. Health is an overlay kept by instance key, so it survives a
 * config reload that leaves the instance and its check in place.
 */
import type { HealthCheck } from '../../../shared/config-schema.js';
import type { InstanceHealth, ServiceView } from '../../../shared/model.js';
import { describeHealthCheck } from '../health/describe-check.js';
import { parseAddress } from './address.js';

export { parseAddress } from './address.js';
export type { InstanceHealth } from '../../../shared/model.js';

export interface InstanceEntry {
  service: string;
  version: string;
  /** `host:port`. */
  address: string;
  /** Where the user declared it, e.g. `meshdesk.yaml:12`. */
  origin: string;
  labels?: Readonly<Record<string, string>>;
  weight?: number;
  healthCheck?: HealthCheck;
}

export interface Instance {
  address: string;
  host: string;
  port: number;
  origin: string;
  /** From active health checks; an instance without a check stays `unknown` and is routable. */
  health: InstanceHealth;
  healthReason: string | null;
  healthCheck: HealthCheck | null;
  labels: Readonly<Record<string, string>>;
  weight: number;
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

/** One instance, named the way logs and events name it: `world@v2 127.0.0.1:7003`. */
export function instanceKey(service: string, version: string, address: string): string {
  return `${service}@${version} ${address}`;
}

export interface HealthChange {
  kind: 'health';
  service: string;
  version: string;
  address: string;
  from: InstanceHealth;
  to: InstanceHealth;
  reason: string;
  at: number;
}

export type RegistryChange = { kind: 'services'; added: string[]; removed: string[]; changed: string[] } | HealthChange;

type ChangeListener = (change: RegistryChange) => void;

export interface CheckedInstance {
  key: string;
  service: string;
  version: string;
  instance: Instance;
}

export class Registry {
  private readonly sources = new Map<string, readonly InstanceEntry[]>();
  private services = new Map<string, ServiceRecord>();
  private signatures = new Map<string, string>();
  private readonly health = new Map<string, { health: InstanceHealth; reason: string }>();
  private readonly listeners = new Set<ChangeListener>();

  /** Replaces everything `source` contributed. Listeners hear of it only if the merged view changed. */
  replaceSource(source: string, entries: readonly InstanceEntry[]): void {
    this.sources.set(source, entries);
    const next = merge(this.sources, this.health);
    const diff = diffSignatures(this.signatures, next.signatures);
    if (!diff) return;
    this.services = next.services;
    this.signatures = next.signatures;
    for (const key of this.health.keys()) if (!next.checked.has(key)) this.health.delete(key);
    this.notify({ kind: 'services', ...diff });
  }

  /** Records a health transition; a no-op (and no event) when the state is unchanged. */
  setHealth(service: string, version: string, address: string, to: InstanceHealth, reason: string): void {
    const record = this.services.get(service);
    const instances = record?.versions.get(version);
    const index = instances?.findIndex((instance) => instance.address === address) ?? -1;
    if (!record || !instances || index < 0) return;
    const current = instances[index] as Instance;
    if (current.health === to || !current.healthCheck) return;
    this.health.set(instanceKey(service, version, address), { health: to, reason });
    const updated = instances.map((instance, i) => (i === index ? { ...instance, health: to, healthReason: reason } : instance));
    const versions = new Map(record.versions);
    versions.set(version, updated);
    this.services = new Map(this.services);
    this.services.set(service, { name: record.name, versions });
    this.notify({ kind: 'health', service, version, address, from: current.health, to, reason, at: Date.now() });
  }

  /** Service names are case-insensitive, as host names are. */
  lookup(name: string): ServiceRecord | undefined {
    return this.services.get(name.toLowerCase());
  }

  /** Every instance that has an active health check: what the health checker runs. */
  checkedInstances(): CheckedInstance[] {
    const checked: CheckedInstance[] = [];
    for (const [service, record] of this.services) {
      for (const [version, instances] of record.versions) {
        for (const instance of instances) {
          if (instance.healthCheck) checked.push({ key: instanceKey(service, version, instance.address), service, version, instance });
        }
      }
    }
    return checked;
  }

  list(): ServiceView[] {
    return [...this.services.values()].map((service) => ({
      name: service.name,
      versions: [...service.versions].map(([name, instances]) => ({
        name,
        instances: instances.map((instance) => ({
          address: instance.address,
          host: instance.host,
          port: instance.port,
          origin: instance.origin,
          health: instance.health,
          healthReason: instance.healthReason,
          healthCheck: instance.healthCheck ? describeHealthCheck(instance.healthCheck) : null,
          healthCheckConfig: instance.healthCheck,
          labels: { ...instance.labels },
          weight: instance.weight,
        })),
      })),
    }));
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(change: RegistryChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

interface Merged {
  services: Map<string, ServiceRecord>;
  /** Instance key → everything about it but its health, in merge order. */
  signatures: Map<string, string>;
  checked: Set<string>;
}

function merge(sources: ReadonlyMap<string, readonly InstanceEntry[]>, health: ReadonlyMap<string, { health: InstanceHealth; reason: string }>): Merged {
  const services = new Map<string, { name: string; versions: Map<string, Instance[]> }>();
  const signatures = new Map<string, string>();
  const checked = new Set<string>();
  for (const entries of sources.values()) {
    for (const entry of entries) {
      const name = entry.service.toLowerCase();
      const key = instanceKey(name, entry.version, entry.address);
      // The first source to name an instance wins; a later one repeating it adds nothing.
      if (signatures.has(key)) continue;
      let service = services.get(name);
      if (!service) {
        service = { name, versions: new Map() };
        services.set(name, service);
      }
      let instances = service.versions.get(entry.version);
      if (!instances) {
        instances = [];
        service.versions.set(entry.version, instances);
      }
      const check = entry.healthCheck ?? null;
      const known = check ? health.get(key) : undefined;
      if (check) checked.add(key);
      const instance: Instance = {
        address: entry.address,
        ...parseAddress(entry.address),
        origin: entry.origin,
        health: known?.health ?? 'unknown',
        healthReason: known?.reason ?? null,
        healthCheck: check,
        labels: entry.labels ?? {},
        weight: entry.weight ?? 1,
      };
      instances.push(instance);
      signatures.set(key, JSON.stringify([entry.origin, instance.labels, instance.weight, check]));
    }
  }
  return { services, signatures, checked };
}

function diffSignatures(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): { added: string[]; removed: string[]; changed: string[] } | null {
  const added: string[] = [];
  const changed: string[] = [];
  for (const [key, signature] of after) {
    const old = before.get(key);
    if (old === undefined) added.push(key);
    else if (old !== signature) changed.push(key);
  }
  const removed = [...before.keys()].filter((key) => !after.has(key));
  // Order matters too (the first version is the default route), so a reordering is a change.
  const reordered = added.length === 0 && removed.length === 0 && !sameOrder(before, after);
  if (added.length === 0 && removed.length === 0 && changed.length === 0 && !reordered) return null;
  return { added, removed, changed };
}

function sameOrder(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  const left = a.keys();
  for (const key of b.keys()) if (left.next().value !== key) return false;
  return true;
}
