/**
 * The proxy listener (default 127.0.0.1:4140): forward proxy (absolute URIs, CONNECT) and
 * Linkerd-style Host router on one port, for plain requests and upgrades alike.
 *
 * Security and robustness model. The proxy stays exported in the user's shells all day, so every
 * local program's traffic crosses it and any of them may send it anything.
 * - Reach: it binds to loopback by default; it is a local convenience, not an open relay. It does
 *   not authenticate clients: any local process could open the same connections itself, and a
 *   browser page that reaches it (`http://world.localhost:4140`) could as well reach the service's
 *   own port. Proxy-Authorization is stripped; its only use here is naming the caller.
 * - Parsing is Node's strict llhttp. Malformed request lines and conflicting Content-Length /
 *   Transfer-Encoding (request smuggling) are refused with 400 before a request exists, so nothing
 *   of them reaches an upstream; what llhttp lets through but cannot be trusted (HTTP/1.0 with
 *   Transfer-Encoding, repeated Host: request-framing.ts) gets 400 and the connection is closed,
 *   so no request after it on the same connection is read; headers over `maxHeaderBytes` get 431; a chunked body found
 *   malformed mid-stream gets 400 and its upstream request is aborted, never completed. Each refusal
 *   answers and closes only that connection (client-errors.ts).
 * - Hosts are checked against a strict character set before use; hop-by-hop headers are removed in
 *   both directions; Via marks each crossing, and a request that crossed too often, or one addressed
 *   to the proxy's own listener, is refused with 508, so a misconfigured service cannot make the
 *   proxy call itself without end.
 * - Resources: headers must arrive within `headersTimeoutMs` and idle connections are closed, so a
 *   slowloris crowd is cut without starving anyone (Node serves each socket independently); at most
 *   `maxConnections` client sockets are held; bodies stream with backpressure and are never buffered;
 *   upstream pools are capped and tunnels idle out (proxy-limits.ts).
 * - Failures: an upstream error before the response is a 502/503/504 whose body names service,
 *   instance and cause; after the response began, the client's connection is cut so it cannot take
 *   a truncated body for a whole one. Nothing a client or upstream sends may throw out of a handler:
 *   each entry point catches, answers 500 if it still can, and carries on.
 *
 * CONNECT tunnels to services are served by a second HTTP server with the same settings and
 * handlers, fed the tunnel's socket (service-tunnel.ts): its requests take the same path as
 * forward-proxied ones, routed to the tunnel's authority, while the main listener's hot path
 * stays free of any tunnel check.
 *
 * Routing and resilience live beside this file: router.ts chooses the service, version (routes) and
 * instance (resilience/balancer.ts); forward.ts runs the attempts (retries, timeouts, the restart
 * hold). The caller is resolved here, once per exchange (caller-identity.ts), and faults are rolled
 * once it is known. A request's event is begun when it is routed (in-flight counts) and recorded
 * with its attempts, flags, decision trace and a capture of headers and bodies — all of it gathered
 * only while someone listens — then handed to the bus (exchange-reporter.ts), which only emits.
 */
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import http from '../node-http.js';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { ProxyMode } from '../../../shared/config-schema.js';
import { DEFAULT_BODY_CAPTURE_BYTES } from '../../../shared/exchange.js';
import type { Registry } from '../registry/registry.js';
import type { InstanceEventListener } from '../resilience/ejection.js';
import { Resilience, type ResilienceOptions } from '../resilience/resilience.js';
import { defaultPolicy, type ServicePolicy } from '../resilience/service-policy.js';
import type { RetryBudgetView } from '../../../shared/stats.js';
import type { TrafficHealth } from '../../../shared/model.js';
import { ClientErrors } from './client-errors.js';
import { captureOf, forwardedFacts, refusalFacts } from './exchange-report.js';
import { FLAG, ForwardExchange, type ExchangeContext } from './forward.js';
import { rolled, type FaultSource } from './fault-roll.js';
import { upstreamRequestHeaders } from './forwarded-headers.js';
import { sendProxyError, writeRawError } from './proxy-error.js';
import { resolveLimits, type ProxyLimits } from './proxy-limits.js';
import { H2Front } from './h2/h2-front.js';
import { H2Upstreams } from './h2/h2-upstreams.js';
import { ProxyListener } from './proxy-listener.js';
import { defaultGrpcFailure, type GrpcFailure } from '../telemetry/classify.js';
import { framingError } from './request-framing.js';
import { parseRequestTarget, tunnelRequestTarget, type TunnelTarget } from './request-target.js';
import type { RequestEvents } from './request-events.js';
import { CallerIdentity, type AttributeConnection } from './caller-identity.js';
import { ExchangeReporter } from './exchange-reporter.js';
import { isRefusal, Router, type Refusal, type RouteSource } from './router.js';
import { handleConnect, type SideChannelContext } from './tunnel.js';
import { handleUpgrade } from './upgrade.js';
import { UpstreamPools } from './upstream-pools.js';

export interface ProxyOptions {
  registry: Registry;
  /** The bus the proxy emits each exchange's event on. */
  events: RequestEvents;
  /** The operating system's view of who owns a client connection; without, callers name themselves or are `shell`. */
  attribute?: AttributeConnection;
  mode: () => ProxyMode;
  /** A request that has crossed the proxy this many times already is a loop (508). Default 4. */
  maxHops?: number;
  /** Overrides of the safe defaults in proxy-limits.ts. */
  limits?: Partial<ProxyLimits>;
  /** The routes in force (the mesh's RouteTable); without, every service goes to its first version. */
  routes?: RouteSource;
  /** Faults to inject (the mesh's FaultTable). */
  faults?: FaultSource;
  /** Each service's resilience policy; default: the safe defaults (service-policy.ts) for all. */
  policy?: (service: string) => ServicePolicy;
  resilience?: ResilienceOptions;
  /** Bytes of each body kept for the request log, per direction. */
  captureBodyBytes?: number;
  /** Which gRPC statuses count against an instance; default: the telemetry's default rule. */
  grpcFailure?: GrpcFailure;
}

type SideChannelHandler = (context: SideChannelContext, req: IncomingMessage, socket: Duplex, head: Buffer, tunnel: TunnelTarget | null) => void;

export class ProxyServer {
  readonly server: Server;
  private readonly listener: ProxyListener;
  /** Serves the HTTP/1.x inside clients' CONNECT tunnels to services; never listens itself. */
  private readonly tunnelServer: Server;
  /** Serves HTTP/2: prior knowledge on the listener, and inside tunnels to services. */
  private readonly h2: H2Front;
  /** Where each served tunnel leads, by its client socket. */
  private readonly tunnels = new WeakMap<Duplex, TunnelTarget>();
  readonly limits: ProxyLimits;
  /** Passive health, balancing, budgets and holds: one per proxy. */
  readonly resilience: Resilience;
  private readonly policyOf: (service: string) => ServicePolicy;
  private readonly pools: UpstreamPools;
  private readonly router: Router;
  private readonly events: ExchangeReporter;
  private readonly faults: FaultSource | null;
  private readonly context: ExchangeContext;
  private readonly sideChannels: SideChannelContext;
  /** Answers what Node's parser cannot read, and remembers bodies found malformed mid-stream. */
  private readonly clientErrors: ClientErrors;
  private ownPort = 0;

  constructor(options: ProxyOptions) {
    const limits = resolveLimits(options.limits);
    this.limits = limits;
    this.events = new ExchangeReporter(options.events, new CallerIdentity(options.attribute ?? null));
    this.clientErrors = new ClientErrors(this.events, limits.maxHeaderBytes);
    this.faults = options.faults ?? null;
    this.pools = new UpstreamPools(limits);
    this.resilience = new Resilience(options.resilience);
    this.resilience.follow(options.registry);
    const fallback = defaultPolicy({ requestTimeoutMs: limits.upstreamTimeoutMs, connectTimeoutMs: limits.connectTimeoutMs });
    this.policyOf = options.policy ?? (() => fallback);
    this.router = new Router({
      registry: options.registry,
      mode: options.mode,
      maxHops: options.maxHops ?? 4,
      ownPort: () => this.ownPort,
      resilience: this.resilience,
      policy: this.policyOf,
      routes: options.routes,
    });
    this.context = {
      pools: this.pools,
      h2: new H2Upstreams(limits),
      resilience: this.resilience,
      captureBodyBytes: options.captureBodyBytes ?? DEFAULT_BODY_CAPTURE_BYTES,
    };
    this.sideChannels = {
      router: this.router,
      limits,
      events: this.events,
      serveHttp: this.serveHttp,
      serveHttp2: (socket, tunnel, bytes) => this.h2.serve(socket, bytes, tunnel),
    };
    this.h2 = new H2Front({
      router: this.router,
      events: this.events,
      context: this.context,
      resilience: this.resilience,
      limits,
      faults: this.faults,
      grpcFailure: options.grpcFailure ?? defaultGrpcFailure,
    });
    this.tunnelServer = this.httpServer(new http.Server(this.serverOptions(), this.onTunnelRequest), true);
    // Node arms a server's header timeouts and connection list when it starts listening; this one
    // is fed sockets instead, so it is told it listens.
    this.tunnelServer.emit('listening');
    this.listener = new ProxyListener(this.serverOptions(), this.onRequest, this.tunnelServer, this.h2, limits.headersTimeoutMs, (socket) =>
      this.events.connectionOpened(socket),
    );
    this.server = this.httpServer(this.listener, false);
    this.server.maxConnections = limits.maxConnections;
    this.server.on('listening', () => {
      const address = this.server.address();
      if (address && typeof address === 'object') this.ownPort = address.port;
    });
  }

  /** Ejections, returns and panics, with their reasons (for the log and the push stream). */
  onInstanceEvent(listener: InstanceEventListener): () => void {
    return this.resilience.onInstanceEvent(listener);
  }

  /** Health from traffic of one instance (resilience/traffic-health.ts), for the services view. */
  trafficHealth(address: string): TrafficHealth {
    return this.resilience.trafficHealth(address);
  }

  /** Each service's retry budget as it stands, for the stats (services that had traffic). */
  retryBudgets(): RetryBudgetView[] {
    const now = performance.now();
    const views: RetryBudgetView[] = [];
    for (const [service, budget] of this.resilience.budgets.entries()) {
      const { retry } = this.policyOf(service);
      views.push({
        service,
        ...budget.usage(now, retry),
        budgetPercent: retry.budgetPercent,
        budgetMinPerSecond: retry.budgetMinPerSecond,
        windowSeconds: retry.budgetWindowMs / 1_000,
        maxRetries: retry.attempts,
      });
    }
    return views.sort((a, b) => a.service.localeCompare(b.service));
  }

  /** Releases upstream connections and held requests; call after the listener stopped. */
  async close(): Promise<void> {
    this.tunnelServer.closeAllConnections();
    this.tunnelServer.close(() => undefined); // clears its timers; it never listened, so the callback gets an error
    this.h2.close();
    this.context.h2.close();
    this.resilience.close();
    await this.pools.close();
  }

  private serverOptions(): ServerOptions {
    const { limits } = this;
    return {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      // Whole-request deadlines would cut long uploads and streams; stalls are caught by idleTimeoutMs.
      requestTimeout: 0,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
      // A missing Host gets our own 400 that says why (and HTTP/1.0 clients may omit it).
      requireHostHeader: false,
      noDelay: true,
    };
  }

  /** The same limits and side-channel handlers on both servers: a tunnel's requests get no less. */
  private httpServer<S extends Server>(server: S, inTunnels: boolean): S {
    server.timeout = this.limits.idleTimeoutMs;
    server.on('connect', this.guard(handleConnect, inTunnels));
    server.on('upgrade', this.guard(handleUpgrade, inTunnels));
    server.on('clientError', this.clientErrors.onClientError);
    return server;
  }

  /**
   * Serves HTTP/1.x from a socket whose connection the server let go of (a CONNECT or an upgrade):
   * the bytes already read are put back and the socket is handed to the server as a new connection,
   * inside `tunnel` when it is set. Node's server parses it from the socket's stream from then on.
   */
  private readonly serveHttp = (socket: Socket, tunnel: TunnelTarget | null, bytes: Buffer): void => {
    if (bytes.length > 0) socket.unshift(bytes);
    // The parser that read the CONNECT let go of the socket's native handle but left it marked as
    // taken, so the next parser would fall back to reading the tunnel through JavaScript 'data'
    // events (about 5% more CPU per request). Clearing the mark lets it read the handle directly.
    const handle = (socket as Socket & { _handle?: { _consumed?: boolean } })._handle;
    if (handle) handle._consumed = false;
    if (tunnel === null) {
      this.listener.serveHttp1(socket);
    } else {
      this.tunnels.set(socket, tunnel);
      this.tunnelServer.emit('connection', socket);
    }
    socket.resume();
  };

  private readonly onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    this.serve(req, res, null);
  };

  private readonly onTunnelRequest = (req: IncomingMessage, res: ServerResponse): void => {
    this.serve(req, res, this.tunnels.get(req.socket) ?? null);
  };

  private serve(req: IncomingMessage, res: ServerResponse, tunnel: TunnelTarget | null): void {
    const start = performance.now();
    // A request parsed after one whose framing was refused: the connection is closing, unread.
    if (req.socket.writableEnded) {
      res.destroy();
      return;
    }
    try {
      this.forward(req, res, start, tunnel);
    } catch (error) {
      const cause = `proxy internal error: ${(error as Error).message}`;
      try {
        sendProxyError(req.headers.accept, req.method, res, { status: 500, service: null, instance: null, cause });
      } catch {
        res.destroy();
      }
    }
  }

  private forward(req: IncomingMessage, res: ServerResponse, start: number, tunnel: TunnelTarget | null): void {
    const url = req.url ?? '';
    const framing = framingError(req);
    if (framing !== null) {
      res.shouldKeepAlive = false;
      this.refuse(req, res, start, url, { kind: 'proxy', status: 400, service: null, instance: null, version: null, cause: framing }, tunnel);
      // Ended now, not once the answer is flushed: requests already parsed behind it are dropped (serve).
      req.socket.end();
      return;
    }
    const target = tunnel === null ? parseRequestTarget(url, req.headers.host) : tunnelRequestTarget(url, req.headers.host, tunnel);
    if ('error' in target) {
      this.refuse(req, res, start, url, { kind: 'proxy', status: 400, service: null, instance: null, version: null, cause: target.error }, tunnel);
      return;
    }
    const wanted = this.events.wanted;
    const route = this.router.route(target.host, target.port, req.headers.via, req.headers, wanted);
    if (isRefusal(route)) {
      this.refuse(req, res, start, target.path, route, tunnel);
      return;
    }
    const exchange = new ForwardExchange(req, res, route, start, target.path, this.context, wanted, this.onExchangeDone);
    if (tunnel !== null) {
      exchange.tunnel = tunnel;
      exchange.flags |= FLAG.tunnelled;
    }
    const headers = upstreamRequestHeaders(req, target.authority, false);
    // Fault rules that may apply: only to services, and only when there are any.
    const faults = this.faults !== null && this.faults.size > 0 && route.kind === 'service' ? this.faults : null;
    if (!wanted && faults === null) {
      exchange.send(headers, null);
      return;
    }
    // Resolved once for the exchange: its start, its fault rule, its response's end and its event.
    const caller = this.events.callers.of(req);
    exchange.caller = caller;
    if (wanted) exchange.id = this.events.begin(caller, route);
    if (typeof caller === 'string') {
      exchange.send(headers, faults === null ? null : rolled(faults, route, caller));
      return;
    }
    // The connection's caller is still being looked up (its first request): faults wait for it.
    void caller.then((name) => {
      exchange.caller = name;
      if (faults === null) return;
      try {
        if (exchange.socket.destroyed) exchange.abandon();
        else exchange.send(headers, rolled(faults, route, name));
      } catch (error) {
        sendProxyError(req.headers.accept, req.method, res, {
          status: 500,
          service: route.service,
          instance: null,
          cause: `proxy internal error: ${(error as Error).message}`,
        });
      }
    });
    if (faults === null) exchange.send(headers, null);
  }

  private refuse(req: IncomingMessage, res: ServerResponse, start: number, path: string, refusal: Refusal, tunnel: TunnelTarget | null): void {
    sendProxyError(req.headers.accept, req.method, res, refusal);
    this.events.record(req, refusalFacts(refusal, path, start, tunnel));
  }

  private readonly onExchangeDone = (exchange: ForwardExchange): void => {
    if (!this.events.wanted || !exchange.capturing) return;
    const facts = forwardedFacts(exchange, this.resilience);
    if (facts.error !== null) {
      // A body found malformed mid-stream: the exchange reports what the client was told.
      const broken = this.clientErrors.brokenBody(exchange.socket);
      if (broken !== undefined) ({ status: facts.status, cause: facts.error } = broken);
    }
    this.events.record(exchange.req, facts, captureOf(exchange), exchange.caller);
  };

  /** Wraps a raw-socket handler so that nothing thrown inside it escapes into the server. */
  private guard(handler: SideChannelHandler, inTunnels: boolean) {
    return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      try {
        handler(this.sideChannels, req, socket, head, inTunnels ? (this.tunnels.get(socket) ?? null) : null);
      } catch (error) {
        try {
          writeRawError(socket, req.headers, { status: 500, service: null, instance: null, cause: `proxy internal error: ${(error as Error).message}` });
        } catch {
          socket.destroy();
        }
      }
    };
  }
}
