/**
 * Decides where a target host goes: an instance of a registered service, the real destination
 * (passthrough), or a refusal. One decision serves plain requests, CONNECT tunnels and upgrades, so
 * the three cannot disagree about loops, the proxy's own address, reject mode or routes.
 *
 * A service's request is routed in three steps, each recorded for the decision trace: its route
 * may alias it to another service; the route's override header, header rules or weights choose
 * the version (routing/choose-version.ts); the balancer picks an instance of that version. Routes
 * are read once per request from the route table, whose reroutes replace entries atomically, so a
 * reroute applies from the next request on and a request in flight keeps the version it got.
 *
 * Everything here runs per request: the versions list and the version reference handed to the
 * balancer are cached per registry record (immutable, replaced on change), so routing allocates
 * nothing beyond the Route it returns; reasons are worded only when someone listens.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ProxyMode } from '../../../shared/config-schema.js';
import type { TrafficKind } from '../../../shared/events.js';
import type { Route as RouteRule } from '../../../shared/routes.js';
import type { Instance, Registry, ServiceRecord } from '../registry/registry.js';
import type { VersionRef } from '../resilience/ejection.js';
import type { InstanceState } from '../resilience/instance-book.js';
import type { Resilience } from '../resilience/resilience.js';
import type { ServicePolicy } from '../resilience/service-policy.js';
import { chooseVersion } from '../routing/choose-version.js';
import { meshHops } from './forwarded-headers.js';
import type { ProxyFailure } from './proxy-error.js';
import { serviceNameOf } from './request-target.js';

export interface Route {
  kind: 'service' | 'external';
  /** The registered service (after aliasing), or the external host. */
  service: string;
  version: string | null;
  /** `host:port` the request goes to; also the key of its connection pool. */
  instance: string;
  host: string;
  port: number;
  /** Service routes only (null for external): the version routed to, for retries and holds. */
  ref: VersionRef | null;
  policy: ServicePolicy | null;
  /** Passive-health state of the instance picked. */
  state: InstanceState | null;
  /** The name the client used, when an alias sent it elsewhere. */
  aliasOf: string | null;
  versionReason: string | null;
  /** Why this instance; null unless the route was asked to explain. */
  instanceReason: string | null;
  /** Instances of the version skipped as ejected, and whether ejections were ignored (panic). */
  ejected: number;
  panic: boolean;
}

export interface Refusal extends ProxyFailure {
  kind: TrafficKind;
  version: string | null;
}

/** What the router needs of the route table. */
export interface RouteSource {
  get(service: string): RouteRule | undefined;
}

export interface RouterOptions {
  registry: Registry;
  mode: () => ProxyMode;
  /** A request that has crossed the proxy this many times already is a loop. */
  maxHops: number;
  /** The port the proxy listens on, once it does. */
  ownPort: () => number;
  resilience: Resilience;
  policy: (service: string) => ServicePolicy;
  /** The routes in force; without, every service goes to its first version. */
  routes?: RouteSource;
}

/** Names under which a client on this machine reaches the proxy's own listener. */
const OWN_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::', '::ffff:127.0.0.1']);
/** Aliases followed before a chain is called a loop. */
const MAX_ALIASES = 4;
const NO_HEADERS: IncomingHttpHeaders = {};

export class Router {
  private readonly versionLists = new WeakMap<ServiceRecord, string[]>();
  private readonly refs = new WeakMap<readonly Instance[], VersionRef>();

  constructor(private readonly options: RouterOptions) {}

  route(host: string, port: number, via: string | string[] | undefined, headers: IncomingHttpHeaders = NO_HEADERS, explain = false): Route | Refusal {
    if (port === this.options.ownPort() && OWN_HOSTS.has(host)) {
      return refuse('proxy', 508, null, null, 'request addressed to the proxy itself; point it at a service or another host');
    }
    const registered = this.options.registry.lookup(serviceNameOf(host));
    if (via !== undefined && meshHops(via) >= this.options.maxHops) {
      const cause = `request loop detected: it already crossed the mesh ${this.options.maxHops} times (Via)`;
      return refuse(registered ? 'service' : 'external', 508, registered?.name ?? host, null, cause);
    }
    if (registered) return this.routeService(registered, headers, explain);
    if (this.options.mode() === 'reject') {
      return refuse('external', 502, host, null, 'unknown service, and the proxy mode is reject (not a registered service)');
    }
    const instance = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    return {
      kind: 'external',
      service: host,
      version: null,
      instance,
      host,
      port,
      ref: null,
      policy: null,
      state: null,
      aliasOf: null,
      versionReason: null,
      instanceReason: null,
      ejected: 0,
      panic: false,
    };
  }

  /** The registered service `host` names (with the documented suffixes), or null. */
  serviceNamed(host: string): string | null {
    return this.options.registry.lookup(serviceNameOf(host))?.name ?? null;
  }

  private routeService(asked: ServiceRecord, headers: IncomingHttpHeaders, explain: boolean): Route | Refusal {
    const { routes, registry, resilience } = this.options;
    let record = asked;
    let rule = routes?.get(record.name);
    let aliasOf: string | null = null;
    for (let hops = 0; rule?.alias !== undefined; hops++) {
      if (hops === MAX_ALIASES) return refuse('service', 508, asked.name, null, `alias loop: ${asked.name} is aliased more than ${MAX_ALIASES} times over`);
      const target = registry.lookup(rule.alias);
      if (!target) return refuse('service', 503, asked.name, null, `alias ${record.name} -> ${rule.alias}: no such service is registered`);
      aliasOf ??= asked.name;
      record = target;
      rule = routes?.get(record.name);
    }
    const choice = chooseVersion(record.name, this.versionsOf(record), rule, headers);
    if (choice === null) return refuse('service', 503, record.name, null, 'service has no instances');
    const instances = record.versions.get(choice.version) as readonly Instance[];
    const ref = this.refOf(record.name, choice.version, instances);
    const policy = this.options.policy(record.name);
    const picked = resilience.balancer.pick(ref, policy, null, explain);
    if (!picked) return { ...refuse('service', 503, record.name, null, 'no healthy instance'), version: choice.version };
    const { last } = resilience.balancer;
    return {
      kind: 'service',
      service: record.name,
      version: choice.version,
      instance: picked.address,
      host: picked.host,
      port: picked.port,
      ref,
      policy,
      state: last.state,
      aliasOf,
      versionReason: choice.reason,
      instanceReason: last.reason,
      ejected: last.ejected,
      panic: last.panic,
    };
  }

  private versionsOf(record: ServiceRecord): string[] {
    let versions = this.versionLists.get(record);
    if (versions === undefined) {
      versions = [...record.versions.keys()];
      this.versionLists.set(record, versions);
    }
    return versions;
  }

  private refOf(service: string, version: string, instances: readonly Instance[]): VersionRef {
    let ref = this.refs.get(instances);
    if (ref === undefined || ref.service !== service) {
      ref = { service, version, instances };
      this.refs.set(instances, ref);
    }
    return ref;
  }
}

export function isRefusal(decision: Route | Refusal): decision is Refusal {
  return 'cause' in decision;
}

function refuse(kind: TrafficKind, status: number, service: string | null, instance: string | null, cause: string): Refusal {
  return { kind, status, service, instance, cause, version: null };
}
