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
import { Pool } from './undici-engine.js';
import type { ProxyLimits } from './proxy-limits.js';

export type PoolLimits = Pick<ProxyLimits, 'connectTimeoutMs' | 'upstreamTimeoutMs' | 'upstreamIdleTimeoutMs' | 'maxUpstreamPools' | 'maxInstancePools'>;

/** Whom a request goes to: an instance of a registered service, or a host named by passthrough traffic. */
export type UpstreamKind = 'instance' | 'passthrough';

export class UpstreamPools {
  private readonly instances: PoolSet;
  private readonly passthrough: PoolSet;

  constructor(private readonly limits: PoolLimits) {
    // An instance pool is not moved to the back on every use: that would cost the hot path a Map
    // delete and insert per request, and its cap is a backstop, not a working-set bound.
    this.instances = new PoolSet(limits.maxInstancePools, false);
    this.passthrough = new PoolSet(limits.maxUpstreamPools, true);
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
    set.put(address, { pool, connectTimeoutMs });
    return pool;
  }

  get size(): number {
    return this.instances.size + this.passthrough.size;
  }

  async close(): Promise<void> {
    await Promise.all([...this.instances.drain(), ...this.passthrough.drain()].map((pool) => pool.destroy().catch(() => undefined)));
  }
}

interface KeptPool {
  pool: Pool;
  connectTimeoutMs: number;
}

/** Pools by address, at most `cap`: the one at the front (oldest, or least recently used) goes first. */
class PoolSet {
  private readonly pools = new Map<string, KeptPool>();

  constructor(
    private readonly cap: number,
    private readonly refreshOnUse: boolean,
  ) {}

  get(address: string): KeptPool | undefined {
    const kept = this.pools.get(address);
    if (kept !== undefined && this.refreshOnUse) {
      this.pools.delete(address);
      this.pools.set(address, kept);
    }
    return kept;
  }

  /** Keeps `kept` for `address`, closing the pool it replaces and, beyond the cap, the front one. */
  put(address: string, kept: KeptPool): void {
    const replaced = this.pools.get(address);
    if (replaced !== undefined) {
      this.pools.delete(address);
      retire(replaced.pool);
    }
    while (this.pools.size >= this.cap) {
      const front = this.pools.entries().next();
      if (front.done) break;
      this.pools.delete(front.value[0]);
      retire(front.value[1].pool);
    }
    this.pools.set(address, kept);
  }

  get size(): number {
    return this.pools.size;
  }

  drain(): Pool[] {
    const pools = [...this.pools.values()].map((kept) => kept.pool);
    this.pools.clear();
    return pools;
  }
}

/** Closes a pool gracefully: its in-flight requests finish. */
function retire(pool: Pool): void {
  pool.close().catch(() => pool.destroy().catch(() => undefined));
}
