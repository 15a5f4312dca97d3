/**
 * One keep-alive connection pool per upstream `host:port`, so that a request does not pay a TCP
 * handshake and the upstream does not see a connection per request. undici's Pool is the engine
 * (measured faster than http-proxy on the same machine: README, performance).
 *
 * Pools are kept in two sets with their own caps. Passthrough traffic can name any host, so its
 * pools are capped low and the least recently used one is closed beyond the cap. The instances of
 * registered services are the user's own config, so their set is capped only as a backstop against
 * instances that come and go (ports changing on each restart): one cap for both let a mesh of more
 * instances than the cap (618 in the graph benchmark's 200-service mesh, against 256) close a pool
 * and open a connection on almost every request. A closed pool is closed gracefully (its in-flight
 * requests finish) and simply made again when next needed.
 */
import { CappedMap } from './capped-map.js';
import { Pool } from './undici-engine.js';
import type { ProxyLimits } from './proxy-limits.js';

export type PoolLimits = Pick<ProxyLimits, 'connectTimeoutMs' | 'upstreamTimeoutMs' | 'upstreamIdleTimeoutMs' | 'maxUpstreamPools' | 'maxInstancePools'>;

/** Whom a request goes to: an instance of a registered service, or a host named by passthrough traffic. */
export type UpstreamKind = 'instance' | 'passthrough';

export class UpstreamPools {
  private readonly instances: CappedMap<KeptPool>;
  private readonly passthrough: CappedMap<KeptPool>;

  constructor(private readonly limits: PoolLimits) {
    // Instances: the oldest goes beyond the cap; passthrough hosts: the least recently used (capped-map.ts).
    this.instances = new CappedMap(limits.maxInstancePools, false, retireKept);
    this.passthrough = new CappedMap(limits.maxUpstreamPools, true, retireKept);
  }

  /**
   * `address` is `host:port`, with IPv6 hosts in brackets. A pool is made with the connect timeout
   * of the service that first needs it; when that service's timeout changes (a config reload) the
   * pool is replaced, its in-flight requests finishing on the old one.
   */
  get(address: string, connectTimeoutMs: number = this.limits.connectTimeoutMs, kind: UpstreamKind = 'passthrough'): Pool {
    const set = kind === 'instance' ? this.instances : this.passthrough;
    const kept = set.get(address);
    if (kept !== undefined && kept.connectTimeoutMs === connectTimeoutMs) return kept.pool;
    const pool = new Pool(`http://${address}`, {
      connectTimeout: connectTimeoutMs,
      headersTimeout: this.limits.upstreamTimeoutMs,
      bodyTimeout: this.limits.upstreamIdleTimeoutMs,
      keepAliveTimeout: 4_000,
      // Upstreams that send a huge header block are answered with 502 rather than buffered.
      maxHeaderSize: 64 * 1024,
    });
    set.set(address, { pool, connectTimeoutMs });
    return pool;
  }

  get size(): number {
    return this.instances.size + this.passthrough.size;
  }

  async close(): Promise<void> {
    await Promise.all([...this.instances.drain(), ...this.passthrough.drain()].map(({ pool }) => pool.destroy().catch(() => undefined)));
  }
}

interface KeptPool {
  pool: Pool;
  connectTimeoutMs: number;
}

/** Closes a pool gracefully: its in-flight requests finish. */
function retireKept({ pool }: KeptPool): void {
  pool.close().catch(() => pool.destroy().catch(() => undefined));
}
