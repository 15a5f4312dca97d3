/**
 * Decides where a target host goes: a registered service's instance, the real destination
 * (passthrough), or a refusal. One decision serves plain requests, CONNECT tunnels and upgrades, so
 * the three cannot disagree about loops, the proxy's own address or reject mode.
 */
import type { ProxyMode } from '../../../shared/config-schema.js';
import type { TrafficKind } from '../../../shared/events.js';
import { routable, type Registry } from '../registry/registry.js';
import { meshHops } from './forwarded-headers.js';
import type { ProxyFailure } from './proxy-error.js';
import { serviceNameOf } from './request-target.js';
import { RoundRobin } from './round-robin.js';

export interface Route {
  kind: 'service' | 'external';
  /** The registered service, or the external host. */
  service: string;
  version: string | null;
  /** `host:port` the request goes to; also the key of its connection pool. */
  instance: string;
  host: string;
  port: number;
}

export interface Refusal extends ProxyFailure {
  kind: TrafficKind;
  version: string | null;
}

export interface RouterOptions {
  registry: Registry;
  mode: () => ProxyMode;
  /** A request that has crossed the proxy this many times already is a loop. */
  maxHops: number;
  /** The port the proxy listens on, once it does. */
  ownPort: () => number;
}

/** Names under which a client on this machine reaches the proxy's own listener. */
const OWN_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::', '::ffff:127.0.0.1']);

export class Router {
  private readonly balancer = new RoundRobin();

  constructor(private readonly options: RouterOptions) {}

  route(host: string, port: number, via: string | string[] | undefined): Route | Refusal {
    if (port === this.options.ownPort() && OWN_HOSTS.has(host)) {
      return refuse('proxy', 508, null, null, 'request addressed to the proxy itself; point it at a service or another host');
    }
    const registered = this.options.registry.lookup(serviceNameOf(host));
    if (via !== undefined && meshHops(via) >= this.options.maxHops) {
      const cause = `request loop detected: it already crossed the mesh ${this.options.maxHops} times (Via)`;
      return refuse(registered ? 'service' : 'external', 508, registered?.name ?? host, null, cause);
    }
    if (registered) {
      const first = registered.versions.entries().next();
      if (first.done) return refuse('service', 503, registered.name, null, 'service has no instances');
      const [version, instances] = first.value;
      const picked = this.balancer.pick(instances, routable(instances));
      if (!picked) return { ...refuse('service', 503, registered.name, null, 'no healthy instance'), version };
      return { kind: 'service', service: registered.name, version, instance: picked.address, host: picked.host, port: picked.port };
    }
    if (this.options.mode() === 'reject') {
      return refuse('external', 502, host, null, 'unknown service, and the proxy mode is reject (not a registered service)');
    }
    const instance = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    return { kind: 'external', service: host, version: null, instance, host, port };
  }
}

export function isRefusal(decision: Route | Refusal): decision is Refusal {
  return 'cause' in decision;
}

function refuse(kind: TrafficKind, status: number, service: string | null, instance: string | null, cause: string): Refusal {
  return { kind, status, service, instance, cause, version: null };
}
