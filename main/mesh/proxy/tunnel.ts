/**
 * CONNECT requests. A CONNECT whose authority names a mesh service is answered by the mesh itself
 * and what comes inside is served (service-tunnel.ts): Node's fetch, undici and gRPC clients tunnel
 * even `http://` calls, and a blind pipe would hide every request in it from routing and telemetry.
 * A CONNECT to any other host (what clients do with https_proxy) is tunnelled straight to its
 * real destination, or refused in reject mode. Such a pipe answers 200 only once the destination
 * accepted the connection, so a refused or unreachable destination is an HTTP error the client can
 * print; its request event is recorded when the tunnel closes, with the bytes that crossed it.
 */
import type { IncomingMessage } from 'node:http';
import net, { type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { DecisionStep, RequestFlag } from '../../../shared/events.js';
import { viaFor } from './forwarded-headers.js';
import { writeRawError, type ProxyFailure } from './proxy-error.js';
import type { ProxyLimits } from './proxy-limits.js';
import { parseAuthority, type TunnelTarget } from './request-target.js';
import type { ExchangeReporter } from './exchange-reporter.js';
import { isRefusal, type Route, type Router } from './router.js';
import { serveServiceTunnel } from './service-tunnel.js';
import { splice } from './splice.js';
import { classifyUpstreamError } from './upstream-errors.js';

export interface SideChannelContext {
  router: Router;
  limits: ProxyLimits;
  events: ExchangeReporter;
  /**
   * Serves HTTP/1.x read from `socket` on the proxy's own request path: inside the client's tunnel
   * to `tunnel` when it is set. `bytes` were read from the socket already and come first.
   */
  serveHttp(socket: Socket, tunnel: TunnelTarget | null, bytes: Buffer): void;
  /** Serves HTTP/2 read from `socket` (h2-front.ts), inside the client's tunnel to `tunnel` when it is set. */
  serveHttp2(socket: Socket, tunnel: TunnelTarget | null, bytes: Buffer): void;
}

/** What a pipe's event says beyond the route: set for opaque tunnels to services. */
export interface PipeReport {
  flags?: RequestFlag[];
  decision?: DecisionStep[];
}

export function handleConnect(context: SideChannelContext, req: IncomingMessage, duplex: Duplex, head: Buffer, tunnel: TunnelTarget | null): void {
  // The HTTP server hands over the net.Socket it accepted; only the type says Duplex.
  const client = duplex as Socket;
  const start = performance.now();
  client.pause();
  client.on('error', () => client.destroy());
  const authorityText = req.url ?? '';
  const fail = (failure: ProxyFailure & { kind: 'service' | 'external' | 'proxy'; version: string | null }) => {
    writeRawError(client, req.headers, failure);
    context.events.record(req, {
      ...failure,
      service: failure.service ?? authorityText,
      path: authorityText,
      error: failure.cause,
      start,
      dispatched: null,
      firstByte: null,
      bytesIn: client.bytesRead,
      bytesOut: client.bytesWritten,
    });
  };
  if (tunnel !== null) {
    fail({
      kind: 'proxy',
      status: 400,
      service: null,
      instance: null,
      version: null,
      cause: `CONNECT inside the CONNECT tunnel to ${tunnel.authority} is not supported`,
    });
    return;
  }
  // A CONNECT names its port (RFC 9110 §9.3.6): `CONNECT world` has no default to fall back on.
  const authority = parseAuthority(authorityText, 0);
  if (!authority) {
    fail({ kind: 'proxy', status: 400, service: null, instance: null, version: null, cause: 'malformed CONNECT target; expected host:port' });
    return;
  }
  const service = context.router.serviceNamed(authority.host);
  if (service !== null) {
    serveServiceTunnel(context, req, client, head, { ...authority, authority: authorityText }, start);
    return;
  }
  const route = context.router.route(authority.host, authority.port, req.headers.via, req.headers);
  if (isRefusal(route)) {
    fail(route);
    return;
  }
  pipeTunnel(context, req, client, head, route, start, false, {});
}

/**
 * Joins the client to a TCP connection to `route`'s instance. `answered`: the client already got
 * its 200 (a service tunnel whose bytes turned out opaque), so a failure to connect can only close
 * the tunnel; otherwise the 200 is written once the destination accepted.
 */
export function pipeTunnel(
  context: SideChannelContext,
  req: IncomingMessage,
  client: Socket,
  head: Buffer,
  route: Route,
  start: number,
  answered: boolean,
  report: PipeReport,
): void {
  const authorityText = req.url ?? '';
  const dispatched = performance.now();
  const upstream = net.connect({ host: route.host, port: route.port, allowHalfOpen: true, noDelay: true });
  let connected = false;
  const recordTunnel = (firstByte: number | null, status: number, error: string | null) => {
    context.events.record(req, {
      ...route,
      path: authorityText,
      status,
      error,
      start,
      dispatched,
      firstByte,
      bytesIn: client.bytesRead,
      bytesOut: client.bytesWritten,
      ...report,
    });
  };
  const onClientGone = () => {
    upstream.destroy();
    recordTunnel(null, 0, 'client aborted');
  };
  client.once('close', onClientGone);
  upstream.setTimeout(context.limits.connectTimeoutMs, () => {
    upstream.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }));
  });
  upstream.once('error', (error) => {
    if (connected) return; // splice() owns the tunnel's errors from here on
    client.off('close', onClientGone);
    const failure = classifyUpstreamError(error);
    if (answered) {
      client.destroy();
      recordTunnel(null, failure.status, failure.cause);
      return;
    }
    writeRawError(client, req.headers, { ...failure, service: route.service, instance: route.instance });
    recordTunnel(null, failure.status, failure.cause);
  });
  upstream.once('connect', () => {
    connected = true;
    client.off('close', onClientGone);
    upstream.setTimeout(0);
    upstream.removeAllListeners('timeout');
    const opened = performance.now();
    if (!answered) client.write(connectEstablished(req));
    if (head.length > 0) upstream.write(head);
    splice(client, upstream, context.limits.tunnelIdleTimeoutMs, () => recordTunnel(opened, 200, null));
    client.resume();
  });
}

export function connectEstablished(req: IncomingMessage): string {
  return `HTTP/1.1 200 Connection Established\r\nvia: ${viaFor(req.httpVersionMinor)}\r\n\r\n`;
}
