/**
 * The proxy's resource limits. The proxy stays exported in a shell all day and every local client
 * crosses it, so each limit is a defence against one way a client or an upstream could hold the
 * proxy's sockets, memory or time without end; the defaults are safe for one developer's machine and
 * every one can be overridden (tests shrink them to keep the suite fast).
 */
export interface ProxyLimits {
  /** Largest request header block a client may send (431 beyond). */
  maxHeaderBytes: number;
  /** A client must finish sending its request headers within this time (408; slowloris). */
  headersTimeoutMs: number;
  /** How often the server checks for clients over `headersTimeoutMs`; bounds how late the cut comes. */
  timeoutCheckIntervalMs: number;
  /** An idle keep-alive client connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** A connection with a request in flight and no bytes moving either way is cut after this long. */
  idleTimeoutMs: number;
  /** Client connections (requests, tunnels and WebSockets alike) held open at once; beyond it new ones are dropped. */
  maxConnections: number;
  /** Connecting to an upstream or a tunnel destination must succeed within this time (504). */
  connectTimeoutMs: number;
  /** Upstream response headers must arrive within this time (504). */
  upstreamTimeoutMs: number;
  /** Longest pause between two chunks of an upstream response body before it is cut. */
  upstreamIdleTimeoutMs: number;
  /** A CONNECT tunnel or WebSocket with no bytes moving either way is closed after this long. */
  tunnelIdleTimeoutMs: number;
  /** Passthrough hosts with a kept-alive connection pool; the least recently used is closed beyond it. */
  maxUpstreamPools: number;
  /**
   * Instances of registered services with a kept-alive connection pool: the user's own config, so
   * this is only a backstop against instances that come and go (upstream-pools.ts).
   */
  maxInstancePools: number;
}

export const DEFAULT_PROXY_LIMITS: Readonly<ProxyLimits> = Object.freeze({
  maxHeaderBytes: 32 * 1024,
  headersTimeoutMs: 10_000,
  timeoutCheckIntervalMs: 1_000,
  keepAliveTimeoutMs: 5_000,
  // Long enough for a quiet SSE stream between heartbeats, short enough that a stalled upload ends.
  idleTimeoutMs: 5 * 60_000,
  maxConnections: 1024,
  connectTimeoutMs: 5_000,
  upstreamTimeoutMs: 10_000,
  upstreamIdleTimeoutMs: 5 * 60_000,
  tunnelIdleTimeoutMs: 30 * 60_000,
  maxUpstreamPools: 256,
  maxInstancePools: 4096,
});

export function resolveLimits(overrides: Partial<ProxyLimits> | undefined): ProxyLimits {
  return { ...DEFAULT_PROXY_LIMITS, ...overrides };
}
