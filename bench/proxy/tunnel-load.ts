/**
 * The bench's own load generator, for the request shape wrk cannot send: requests inside CONNECT
 * tunnels, the way Node's fetch (NODE_USE_ENV_PROXY=1) and undici's ProxyAgent call even an
 * http:// service through a proxy. Each of N connections to the proxy sends one
 * `CONNECT <service>:80`, reads the 200, then sends `GET / HTTP/1.1` inside the tunnel, one request
 * at a time, for the duration. Shape `absolute` sends `GET http://<service>/ HTTP/1.1` on plain
 * kept-alive connections instead: the reference the tunnel is compared with. Two generators do not
 * cost a proxy the same (how their requests are paced and batched into reads changes its CPU per
 * request), so the tunnel is compared with the absolute URI sent by this same generator, never with
 * a wrk row.
 * Built like wrk, so its figures read alike: closed loop (each connection waits for its answer),
 * latencies in µs in an HDR histogram, answers above 399 counted as status errors, a connection
 * that breaks counted and opened again, and the result in wrk's shape (WrkResult). It runs in its
 * own process pinned to the load core (tunnel-load-child.ts), never in the bench's.
 */
import net from 'node:net';
import { build } from 'hdr-histogram-js';
import { ResponseReader } from './response-reader.js';
import type { WrkResult } from './wrk.js';

export type LoadShape = 'absolute' | 'connect';

export interface NodeLoadTarget {
  port: number;
  shape: LoadShape;
  /** The mesh service the requests name (the bench registers `bench`). */
  service: string;
}

export interface LoadSettings {
  connections: number;
  seconds: number;
  /** An answer slower than this is a timeout error and its connection is opened again (wrk: --timeout 5s). */
  timeoutMs: number;
}

type ErrorKind = keyof WrkResult['errors'];

/** What a connection reports to: the run, or the one-request probe. */
interface ConnectionSink {
  readonly keepBodies: boolean;
  received(bytes: number): void;
  /** An answer came; returns whether to send the next request (if not, the connection is closed). */
  answered(status: number, latencyUs: number, body: Buffer): boolean;
  failed(connection: LoadConnection, kind: ErrorKind, cause: string): void;
}

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

/** The bytes one connection sends: the CONNECT that opens the tunnel (if any), then each request. */
export function requestBytes(target: NodeLoadTarget): { handshake: Buffer | null; request: Buffer } {
  const { service } = target;
  if (target.shape === 'absolute') {
    return { handshake: null, request: Buffer.from(`GET http://${service}/ HTTP/1.1\r\nHost: ${service}\r\n\r\n`, 'latin1') };
  }
  return {
    handshake: Buffer.from(`CONNECT ${service}:80 HTTP/1.1\r\nHost: ${service}:80\r\n\r\n`, 'latin1'),
    request: Buffer.from(`GET / HTTP/1.1\r\nHost: ${service}\r\n\r\n`, 'latin1'),
  };
}

class LoadConnection {
  /** performance.now() when the request in flight was sent; 0 when none is. */
  sentAt = 0;
  private socket: net.Socket | null = null;
  private readonly bytes: { handshake: Buffer | null; request: Buffer };

  constructor(
    private readonly target: NodeLoadTarget,
    private readonly sink: ConnectionSink,
  ) {
    this.bytes = requestBytes(target);
  }

  open(): void {
    const socket = net.connect({ host: '127.0.0.1', port: this.target.port, noDelay: true });
    this.socket = socket;
    this.sentAt = 0;
    let connected = false;
    let tunnelled = this.bytes.handshake === null;
    let handshakeReply: Buffer = Buffer.alloc(0);
    const reader = new ResponseReader(this.sink.keepBodies, (status, body) => {
      const latencyUs = (performance.now() - this.sentAt) * 1000;
      this.sentAt = 0;
      if (this.sink.answered(status, latencyUs, body)) this.send();
      else this.close();
    });
    socket.once('connect', () => {
      connected = true;
      if (this.bytes.handshake) socket.write(this.bytes.handshake);
      else this.send();
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      this.sink.received(chunk.length);
      if (!tunnelled) {
        handshakeReply = handshakeReply.length === 0 ? chunk : Buffer.concat([handshakeReply, chunk]);
        const end = handshakeReply.indexOf(HEAD_END);
        if (end < 0) return;
        const statusLine = handshakeReply.toString('latin1', 0, handshakeReply.indexOf('\r\n'));
        if (!/^HTTP\/1\.[01] 200 /.test(statusLine)) {
          this.fail('connect', `CONNECT answered ${JSON.stringify(statusLine)}`);
          return;
        }
        tunnelled = true;
        chunk = handshakeReply.subarray(end + HEAD_END.length);
        this.send();
        if (chunk.length === 0) return;
      }
      try {
        reader.push(chunk);
      } catch (error) {
        this.fail('read', (error as Error).message);
      }
    });
    let lastError = '';
    socket.on('error', (error) => (lastError = error.message));
    socket.once('close', () => {
      if (this.socket === socket) this.fail(connected ? 'read' : 'connect', lastError || 'connection closed by the proxy');
    });
  }

  /** Whether a socket is open or opening. */
  get active(): boolean {
    return this.socket !== null;
  }

  /** Drops the connection without reporting it (the run ended, or it is being replaced). */
  close(): void {
    const socket = this.socket;
    this.socket = null;
    this.sentAt = 0;
    socket?.destroy();
  }

  private send(): void {
    this.sentAt = performance.now();
    this.socket?.write(this.bytes.request);
  }

  private fail(kind: ErrorKind, cause: string): void {
    this.close();
    this.sink.failed(this, kind, cause);
  }
}

/**
 * Runs the load for `settings.seconds` and reports it like wrk does. When the time is up no request
 * is sent or counted any more, and each connection closes once its last answer came (a second at
 * most): cut in the middle of a request, the proxy would log an abort for each connection, which is
 * not what the row measures (wrk too reads nothing after its time, but its answers have come by then).
 */
export function runLoad(target: NodeLoadTarget, settings: LoadSettings): Promise<WrkResult> {
  return new Promise((resolve) => {
    const latency = build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 60_000_000,
      numberOfSignificantValueDigits: 3,
      autoResize: true,
      useWebAssembly: false,
    });
    const errors: WrkResult['errors'] = { connect: 0, read: 0, write: 0, status: 0, timeout: 0 };
    let requests = 0;
    let bytes = 0;
    let stopped = false;
    let failuresShown = 0;
    const sink: ConnectionSink = {
      keepBodies: false,
      received: (count) => (bytes += count),
      answered: (status, latencyUs) => {
        if (stopped) return false;
        requests++;
        if (status > 399) errors.status++;
        latency.recordValue(Math.max(1, Math.round(latencyUs)));
        return true;
      },
      failed: (connection, kind, cause) => {
        if (stopped) return;
        errors[kind]++;
        if (failuresShown++ < 5) console.error(`tunnel-load: ${kind} error: ${cause}`);
        // A proxy that refuses connections is not hammered; one that dropped one gets it back at once.
        setTimeout(() => stopped || connection.open(), kind === 'connect' ? 100 : 0);
      },
    };
    const connections = Array.from({ length: settings.connections }, () => new LoadConnection(target, sink));
    const startedAt = performance.now();
    for (const connection of connections) connection.open();
    // One sweep for every connection's timeout, not a timer per request.
    const sweep = setInterval(() => {
      const late = performance.now() - settings.timeoutMs;
      for (const connection of connections) {
        if (connection.sentAt === 0 || connection.sentAt > late) continue;
        connection.close();
        sink.failed(connection, 'timeout', `no answer within ${settings.timeoutMs} ms`);
      }
    }, 250);
    setTimeout(() => {
      stopped = true;
      const durationUs = Math.round((performance.now() - startedAt) * 1000);
      clearInterval(sweep);
      for (const connection of connections) if (connection.sentAt === 0) connection.close();
      const result: WrkResult = {
        requests,
        durationUs,
        bytes,
        p50Us: latency.getValueAtPercentile(50),
        p90Us: latency.getValueAtPercentile(90),
        p99Us: latency.getValueAtPercentile(99),
        maxUs: latency.maxValue,
        errors,
      };
      const drainUntil = performance.now() + 1_000;
      const drain = setInterval(() => {
        if (connections.some((c) => c.active) && performance.now() < drainUntil) return;
        clearInterval(drain);
        for (const connection of connections) connection.close();
        resolve(result);
      }, 5);
    }, settings.seconds * 1000);
  });
}

/** One request the way the load sends it (CONNECT first for that shape), on a connection of its own. */
export function probe(target: NodeLoadTarget, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let connection: LoadConnection | null = null;
    const timer = setTimeout(() => {
      connection?.close();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const sink: ConnectionSink = {
      keepBodies: true,
      received: () => undefined,
      answered: (status, _latencyUs, body) => {
        clearTimeout(timer);
        resolve({ status, body: body.toString('utf8') });
        return false;
      },
      failed: (_connection, kind, cause) => {
        clearTimeout(timer);
        reject(new Error(`${kind} error: ${cause}`));
      },
    };
    connection = new LoadConnection(target, sink);
    connection.open();
  });
}
