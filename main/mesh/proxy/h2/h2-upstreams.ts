/**
 * One HTTP/2 connection per upstream instance, shared by every call to it: HTTP/2 multiplexes, so a
 * gRPC client's calls cost the instance one connection however many are in flight, as with the
 * client's own channel. Cleartext with prior knowledge (h2c): an instance a call is sent to over
 * HTTP/2 is one that serves it.
 *
 * A session that errs, closes or is told GOAWAY takes no new calls: the next call opens a new one,
 * while calls already on the old one finish there (GOAWAY lets the streams below its last stream id
 * complete). Connecting is bounded by the service's connect timeout. Node's http2 does the framing,
 * flow control (per stream and per connection) and HPACK; the window is widened from HTTP/2's 64 KiB
 * default so one large message does not stall every call on the connection.
 *
 * Sessions to instances and to passthrough hosts are kept apart, with the caps of the HTTP/1.1
 * pools (upstream-pools.ts): a mesh of more gRPC instances than passthrough may name keeps all its
 * connections.
 */
import http2, { type ClientHttp2Session } from 'node:http2';
import { CappedMap } from '../capped-map.js';
import type { ProxyLimits } from '../proxy-limits.js';
import type { UpstreamKind } from '../upstream-pools.js';

export type H2UpstreamLimits = Pick<ProxyLimits, 'connectTimeoutMs' | 'maxUpstreamPools' | 'maxInstancePools'>;

/** Each connection's receive window (stream and connection level). */
const WINDOW_BYTES = 4 * 1024 * 1024;

export interface H2Upstream {
  readonly session: ClientHttp2Session;
  /** Set once the connection could not be made: the cause a call on it failed with. */
  connectError: Error | null;
  connected: boolean;
}

export class H2Upstreams {
  private readonly instances: CappedMap<H2Upstream>;
  private readonly passthrough: CappedMap<H2Upstream>;

  constructor(private readonly limits: H2UpstreamLimits) {
    this.instances = new CappedMap(limits.maxInstancePools, false, closeGracefully);
    this.passthrough = new CappedMap(limits.maxUpstreamPools, true, closeGracefully);
  }

  /** The instance's session, opening one when there is none that takes new calls. */
  get(address: string, connectTimeoutMs: number = this.limits.connectTimeoutMs, kind: UpstreamKind = 'passthrough'): H2Upstream {
    const set = kind === 'instance' ? this.instances : this.passthrough;
    const known = set.get(address);
    if (known !== undefined && usable(known.session)) return known;
    if (known !== undefined) set.delete(address);
    const upstream = this.open(address, connectTimeoutMs, set);
    set.set(address, upstream);
    return upstream;
  }

  get size(): number {
    return this.instances.size + this.passthrough.size;
  }

  close(): void {
    for (const upstream of [...this.instances.drain(), ...this.passthrough.drain()]) upstream.session.destroy();
  }

  private open(address: string, connectTimeoutMs: number, set: CappedMap<H2Upstream>): H2Upstream {
    const session = http2.connect(`http://${address}`, { settings: { initialWindowSize: WINDOW_BYTES, enablePush: false } });
    // Every call made while the connection is still being opened waits for its 'connect': many at once is normal.
    session.setMaxListeners(0);
    const upstream: H2Upstream = { session, connectError: null, connected: false };
    const forget = () => {
      if (set.peek(address) === upstream) set.delete(address);
    };
    const connectTimer = setTimeout(() => {
      const error = Object.assign(new Error(`connect to ${address} timed out after ${connectTimeoutMs} ms`), { code: 'ETIMEDOUT' });
      upstream.connectError = error;
      session.destroy(error);
    }, connectTimeoutMs);
    session.once('connect', () => {
      clearTimeout(connectTimer);
      upstream.connected = true;
      session.setLocalWindowSize(WINDOW_BYTES);
    });
    session.on('error', (error: Error) => {
      if (!upstream.connected) upstream.connectError = error;
      forget();
    });
    session.once('goaway', forget);
    session.once('close', () => {
      clearTimeout(connectTimer);
      forget();
    });
    // An idle connection must not keep the mesh's process alive on its own.
    session.unref();
    return upstream;
  }
}

/** A session beyond the cap: its calls in flight finish, it takes no new ones. */
function closeGracefully(upstream: H2Upstream): void {
  upstream.session.close();
}

function usable(session: ClientHttp2Session): boolean {
  return !session.closed && !session.destroyed;
}
