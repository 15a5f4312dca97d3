/**
 * The routes in force, one per service, and their history. Concurrency model: a reroute replaces
 * the service's entry in one synchronous step, so a request that reads the table after the call
 * returned sees the new route and one that read it before keeps the old one for its whole life —
 * in-flight requests finish where they started and nothing is ever half-applied.
 *
 * Sources: meshdesk.yaml gives each service's base route; the admin API (CLI, GUI) overrides it.
 * Overrides are persisted so they survive a restart; a later change of the same service's route in
 * meshdesk.yaml replaces the override (the newest intent wins).
 */
import type { ChangeOrigin, RerouteInput, Route, RouteChange, ServiceRoute } from '../../../shared/routes.js';
import { MeshError } from '../mesh-error.js';
import type { ServiceRecord } from '../registry/registry.js';

const HISTORY_LIMIT = 50;

export class RouteError extends MeshError {}

export interface RouteTableOptions {
  lookup: (service: string) => ServiceRecord | undefined;
  /** Persisted overrides, service → route, loaded at start. */
  overrides: Record<string, Route>;
  saveOverrides: (overrides: Record<string, Route>) => void;
  now?: () => Date;
}

type Listener = (change: RouteChange) => void;

export class RouteTable {
  private readonly routes = new Map<string, Route>();
  private readonly configRoutes = new Map<string, Route>();
  private readonly overrides: Map<string, Route>;
  private readonly history = new Map<string, RouteChange[]>();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly options: RouteTableOptions) {
    this.overrides = new Map(Object.entries(options.overrides));
    for (const [service, route] of this.overrides) this.routes.set(service, route);
  }

  /** The route for a service, or undefined for the default (everything to its first version). */
  get(service: string): Route | undefined {
    return this.routes.get(service);
  }

  /** Applies meshdesk.yaml's routes; a service whose config route changed loses its override. */
  applyConfig(routes: ReadonlyMap<string, Route>): void {
    const services = new Set([...routes.keys(), ...this.configRoutes.keys()]);
    for (const service of services) {
      const next = routes.get(service);
      const previous = this.configRoutes.get(service);
      if (sameRoute(previous, next)) continue;
      if (next) this.configRoutes.set(service, next);
      else this.configRoutes.delete(service);
      const hadOverride = this.overrides.delete(service);
      if (hadOverride) this.persist();
      this.change(service, next ?? null, 'config');
    }
  }

  reroute(input: RerouteInput): ServiceRoute {
    const record = this.requireService(input.service);
    const versions = [...record.versions.keys()];
    const weights = 'version' in input ? { [input.version]: 1 } : input.weights;
    for (const version of Object.keys(weights)) {
      if (!record.versions.has(version)) {
        throw new RouteError(400, `service ${record.name} has no version ${version} (it has ${versions.join(', ')})`);
      }
    }
    const current = this.routes.get(record.name);
    const next: Route = { ...current, headerRules: current?.headerRules ?? [], weights };
    this.override(record.name, next, input.origin);
    return this.view(record);
  }

  /** Restores the route before the last change; `reason` marks a rollback the mesh made itself (a guard's). */
  rollback(service: string, reason?: string): ServiceRoute {
    const record = this.requireService(service);
    const last = this.history.get(record.name)?.[0];
    if (!last) throw new RouteError(409, `service ${record.name} has no route change to roll back`);
    this.override(record.name, last.before, reason === undefined ? 'rollback' : 'guard', reason);
    return this.view(record);
  }

  view(record: ServiceRecord): ServiceRoute {
    const route = this.routes.get(record.name) ?? null;
    return {
      service: record.name,
      versions: [...record.versions.keys()],
      route,
      effectiveWeights: effectiveWeights([...record.versions.keys()], route),
      history: this.history.get(record.name) ?? [],
    };
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private override(service: string, route: Route | null, origin: ChangeOrigin, reason?: string): void {
    if (route) this.overrides.set(service, route);
    else this.overrides.delete(service);
    // Persist before the change takes effect: an acknowledged reroute survives a crash.
    this.persist();
    this.change(service, route ?? this.configRoutes.get(service) ?? null, origin, reason);
  }

  private change(service: string, next: Route | null, origin: ChangeOrigin, reason?: string): void {
    const before = this.routes.get(service) ?? null;
    if (next) this.routes.set(service, next);
    else this.routes.delete(service);
    const at = (this.options.now?.() ?? new Date()).toISOString();
    const change: RouteChange = reason === undefined ? { service, at, origin, before, after: next } : { service, at, origin, before, after: next, reason };
    const history = this.history.get(service) ?? [];
    history.unshift(change);
    if (history.length > HISTORY_LIMIT) history.pop();
    this.history.set(service, history);
    for (const listener of this.listeners) listener(change);
  }

  private persist(): void {
    this.options.saveOverrides(Object.fromEntries(this.overrides));
  }

  private requireService(service: string): ServiceRecord {
    const record = this.options.lookup(service);
    if (!record) throw new RouteError(404, `unknown service ${service}`);
    return record;
  }
}

/** Share of traffic per version, 0..1: weights normalised, or everything to the first version. */
export function effectiveWeights(versions: readonly string[], route: Route | null): Record<string, number> {
  const shares: Record<string, number> = Object.fromEntries(versions.map((version) => [version, 0]));
  const weights = route?.weights;
  const total = weights ? versions.reduce((sum, version) => sum + (weights[version] ?? 0), 0) : 0;
  if (!weights || total === 0) {
    if (versions[0] !== undefined) shares[versions[0]] = 1;
    return shares;
  }
  for (const version of versions) shares[version] = (weights[version] ?? 0) / total;
  return shares;
}

function sameRoute(a: Route | undefined, b: Route | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
