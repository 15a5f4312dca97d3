/**
 * The mesh's HTTP/2 side: HTTP/2 cleartext with prior knowledge on the proxy's own port (a client
 * that opens with the HTTP/2 preface, as `curl --http2-prior-knowledge` or a gRPC channel pointed
 * at the proxy does) and HTTP/2 inside CONNECT tunnels to services (what gRPC clients send with
 * http_proxy set). Node's http2 server does the framing; it never listens, it is handed each such
 * connection's socket with the bytes already read.
 *
 * Each stream is one call, routed on its own — `:authority` names the service as Host does, or the
 * tunnel's authority does — so weights, header rules (on gRPC metadata too), the override header and
 * aliases apply per call, and a reroute reaches the next call on a long-lived channel while calls
 * in flight finish where they started. stream-exchange.ts forwards it.
 *
 * Hostile peers: Node's nghttp2 refuses malformed frames, bounds concurrent streams (REFUSED_STREAM
 * beyond 256), session memory, and answers SETTINGS and PING floods and bursts of resets with
 * GOAWAY; stream-guards.ts adds what it leaves open (header lists before SETTINGS are
 * acknowledged, slower rapid resets). A session that errs is destroyed on its own and nothing of it
 * reaches the others (hostile-h2.test.ts, one test per attack).
 */
import http2, { type Http2Session, type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { Resilience } from '../../resilience/resilience.js';
import { FLAG, type ExchangeContext } from '../attempt-loop.js';
import { forwardedFacts, refusalFacts } from '../exchange-report.js';
import type { ExchangeReporter } from '../exchange-reporter.js';
import { rolled, type FaultSource } from '../fault-roll.js';
import type { ProxyLimits } from '../proxy-limits.js';
import { parseRequestTarget, tunnelRequestTarget, type TunnelTarget } from '../request-target.js';
import { isRefusal, type Refusal, type Router } from '../router.js';
import { answerCall } from './answer-call.js';
import { isGrpc } from './grpc-status.js';
import { upstreamCallHeaders } from './h2-headers.js';
import type { GrpcFailure } from '../../telemetry/classify.js';
import { headerListSize, ResetGuard } from './stream-guards.js';
import { StreamExchange } from './stream-exchange.js';

export interface H2FrontOptions {
  router: Router;
  events: ExchangeReporter;
  context: ExchangeContext;
  resilience: Resilience;
  limits: ProxyLimits;
  faults: FaultSource | null;
  /** Which gRPC statuses count against an instance (ejection). */
  grpcFailure: GrpcFailure;
}

/** Streams one client may have open at once (RFC 9113 recommends no fewer than 100). */
const MAX_CONCURRENT_STREAMS = 256;

interface SessionOrigin {
  socket: Socket;
  tunnel: TunnelTarget | null;
  resets: ResetGuard;
}

export class H2Front {
  private readonly server: http2.Http2Server;
  private readonly sessions = new Map<Http2Session, SessionOrigin>();
  /** Where the session being made comes from: set just around the server's synchronous 'session'. */
  private arriving: SessionOrigin | null = null;

  constructor(private readonly options: H2FrontOptions) {
    const { limits } = options;
    this.server = http2.createServer({
      maxSessionMemory: 32,
      settings: { maxConcurrentStreams: MAX_CONCURRENT_STREAMS, maxHeaderListSize: limits.maxHeaderBytes, enablePush: false },
    });
    this.server.on('session', this.onSession);
    this.server.on('stream', this.onStream);
    // A client stalled mid-stream is cut like an HTTP/1.1 one.
    this.server.setTimeout(limits.idleTimeoutMs);
  }

  /** Takes over `socket`, whose first `bytes` (the connection preface) were read already; `tunnel` when it came in one. */
  serve(socket: Socket, bytes: Buffer, tunnel: TunnelTarget | null): void {
    // Left paused: the session reads the socket itself, the buffered bytes first.
    if (bytes.length > 0) socket.unshift(bytes);
    this.arriving = { socket, tunnel, resets: new ResetGuard() };
    try {
      this.server.emit('connection', socket);
    } finally {
      this.arriving = null;
    }
  }

  /** Open client sessions (for the graceful stop). */
  get size(): number {
    return this.sessions.size;
  }

  /** Asks every client to stop opening calls (GOAWAY); calls in flight finish. */
  closeIdle(): void {
    for (const session of this.sessions.keys()) session.close();
  }

  close(): void {
    for (const session of this.sessions.keys()) session.destroy();
    this.sessions.clear();
  }

  private readonly onSession = (session: ServerHttp2Session): void => {
    const origin = this.arriving;
    if (origin === null) {
      session.destroy();
      return;
    }
    this.sessions.set(session, origin);
    session.on('error', () => session.destroy());
    session.once('close', () => this.sessions.delete(session));
  };

  private readonly onStream = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: string[]): void => {
    const start = performance.now();
    stream.on('error', () => stream.destroy());
    const session = stream.session as Http2Session;
    const origin = this.sessions.get(session);
    if (origin === undefined) {
      stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    const { maxHeaderBytes } = this.options.limits;
    if (headerListSize(rawHeaders) > maxHeaderBytes) {
      const cause = `request headers too large (over ${maxHeaderBytes} bytes)`;
      this.refuse(stream, headers, origin, start, headers[':path'] ?? '', { kind: 'proxy', status: 431, service: null, instance: null, version: null, cause });
      return;
    }
    origin.resets.streamOpened();
    stream.once('close', () => {
      const reset = stream.rstCode !== undefined && stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR;
      if (reset && !stream.headersSent && origin.resets.resetEarly() && !session.destroyed) {
        session.goaway(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM);
        session.destroy();
      }
    });
    // One turn of the event loop: a stream opened and reset in the same burst is gone by then and
    // never reaches an instance.
    setImmediate(() => {
      if (stream.closed || stream.destroyed) return;
      try {
        this.call(stream, headers, rawHeaders, origin, start);
      } catch (error) {
        this.answerError(stream, headers, 500, `proxy internal error: ${(error as Error).message}`);
      }
    });
  };

  private call(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, rawHeaders: string[], origin: SessionOrigin, start: number): void {
    const { router, events, context } = this.options;
    const url = headers[':path'] ?? '/';
    const authority = headers[':authority'] ?? headers.host;
    const target = origin.tunnel === null ? parseRequestTarget(url, authority) : tunnelRequestTarget(url, authority, origin.tunnel);
    if ('error' in target) {
      this.refuse(stream, headers, origin, start, url, { kind: 'proxy', status: 400, service: null, instance: null, version: null, cause: target.error });
      return;
    }
    const wanted = events.wanted;
    const route = router.route(target.host, target.port, headers.via, headers, wanted);
    if (isRefusal(route)) {
      this.refuse(stream, headers, origin, start, target.path, route);
      return;
    }
    const exchange = new StreamExchange(stream, headers, origin.socket, route, start, target.path, context, wanted, this.options.grpcFailure, (done) =>
      this.record(done, rawHeaders),
    );
    if (origin.tunnel !== null) {
      exchange.tunnel = origin.tunnel;
      exchange.flags |= FLAG.tunnelled;
    }
    const upstreamHeaders = upstreamCallHeaders(headers, target.path, target.authority, origin.socket.remoteAddress);
    const faults = this.options.faults !== null && this.options.faults.size > 0 && route.kind === 'service' ? this.options.faults : null;
    if (!wanted && faults === null) {
      exchange.send(upstreamHeaders, null);
      return;
    }
    const caller = this.callerOf(headers, origin.socket);
    exchange.caller = caller;
    if (wanted) exchange.id = events.begin(caller, route);
    if (typeof caller === 'string') {
      exchange.send(upstreamHeaders, faults === null ? null : rolled(faults, route, caller));
      return;
    }
    // The connection's caller is still being looked up (its first call): only a fault rule waits for it.
    if (faults === null) exchange.send(upstreamHeaders, null);
    void caller.then((name) => {
      exchange.caller = name;
      if (faults !== null && !stream.destroyed) exchange.send(upstreamHeaders, rolled(faults, route, name));
    });
  }

  private callerOf(headers: IncomingHttpHeaders, socket: Socket) {
    return this.options.events.callers.of({ headers, socket });
  }

  private refuse(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, origin: SessionOrigin, start: number, path: string, refusal: Refusal): void {
    const grpc = this.answerError(stream, headers, refusal.status, refusal.cause);
    this.options.events.record(
      null,
      {
        ...refusal,
        ...refusalFacts(refusal, path, start, origin.tunnel),
        method: headers[':method'] ?? '',
        protocol: 'h2',
        ...(grpc === null ? {} : { grpc, status: 200 }),
      },
      null,
      this.callerOf(headers, origin.socket),
    );
  }

  /** Answers a call the mesh will not forward: a gRPC status for a gRPC call, else an HTTP error. */
  private answerError(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, status: number, cause: string): { status: number; message: string } | null {
    if (stream.destroyed || stream.headersSent) return null;
    return answerCall(stream, isGrpc(headers['content-type']), status, cause);
  }

  private record(exchange: StreamExchange, rawHeaders: string[]): void {
    const { events, resilience } = this.options;
    if (!events.wanted || !exchange.capturing) return;
    events.record(
      null,
      {
        ...forwardedFacts(exchange, resilience),
        method: exchange.method,
        protocol: 'h2',
        ...(exchange.grpc
          ? {
              grpc: {
                status: exchange.grpcStatus,
                message: exchange.grpcMessage,
                messagesIn: exchange.messagesIn?.count ?? 0,
                messagesOut: exchange.messagesOut?.count ?? 0,
              },
            }
          : {}),
      },
      {
        requestHeaders: rawHeaders,
        responseHeaders: headerList(exchange.responseHeaders, exchange.responseTrailers),
        requestBody: exchange.requestBody?.result() ?? null,
        responseBody: exchange.responseBody?.result() ?? null,
      },
      exchange.caller,
    );
  }
}

/** Response headers and trailers as one [name, value, …] list, as the log keeps headers. */
function headerList(headers: IncomingHttpHeaders | null, trailers: IncomingHttpHeaders | null): string[] | null {
  if (headers === null) return null;
  const list: string[] = [];
  for (const block of [headers, trailers]) {
    if (block === null) continue;
    for (const name in block) {
      const value = block[name];
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [String(value)]) list.push(name, one);
    }
  }
  return list;
}
