/**
 * One keep-alive connection pool per upstream `host:port`, so that a request does not pay a TCP
 * handshake and the upstream does not see a connection per request. undici's Pool is the engine
 * (measured faster than http-proxy on the same machine: README, performance). Passthrough traffic
 * can name any host, so the number of pools is capped: beyond the cap the oldest pool is closed
 * gracefully (its in-flight requests finish) and would simply be made again when next needed.
 */
import { Pool } from './undici-engine.js';
import type { ProxyLimits } from './proxy-limits.js';

export type PoolLimits = Pick<ProxyLimits, 'connectTimeoutMs' | 'upstreamTimeoutMs' | 'upstreamIdleTimeoutMs' | 'maxUpstreamPools'>;

export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();
  /** Connect timeouts of pools made with one other than the default (per-service timeouts). */
  private readonly connectTimeouts = new WeakMap<Pool, number>();

  constructor(private readonly limits: PoolLimits) {}

  /**
   * `address` is `host:port`, with IPv6 hosts in brackets. A pool is made with the connect timeout
   * of the service that first needs it; when that service's timeout changes (a config reload) the
   * pool is replaced, its in-flight requests finishing on the old one.
   */
  get(address: string, connectTimeoutMs: number = this.limits.connectTimeoutMs): Pool {
    let pool = this.pools.get(address);
    if (pool !== undefined && (this.connectTimeouts.get(pool) ?? this.limits.connectTimeoutMs) !== connectTimeoutMs) {
      this.pools.delete(address);
      retire(pool);
      pool = undefined;
    }
    if (pool === undefined) {
      if (this.pools.size >= this.limits.maxUpstreamPools) this.evictOldest();
      pool = new Pool(`http://${address}`, {
        connectTimeout: connectTimeoutMs,
        headersTimeout: this.limits.upstreamTimeoutMs,
        bodyTimeout: this.limits.upstreamIdleTimeoutMs,
        keepAliveTimeout: 4_000,
        // Upstreams that send a huge header block are answered with 502 rather than buffered.
        maxHeaderSize: 64 * 1024,
      });
      if (connectTimeoutMs !== this.limits.connectTimeoutMs) this.connectTimeouts.set(pool, connectTimeoutMs);
      this.pools.set(address, pool);
    }
    return pool;
  }

  get size(): number {
    return this.pools.size;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy().catch(() => undefined)));
  }

  private evictOldest(): void {
    const oldest = this.pools.entries().next();
    if (oldest.done) return;
    const [address, pool] = oldest.value;
    this.pools.delete(address);
    retire(pool);
  }
}

/** Closes a pool gracefully: its in-flight requests finish. */
function retire(pool: Pool): void {
  pool.close().catch(() => pool.destroy().catch(() => undefined));
}
