/**
 * CONNECT tunnels (what clients do with https_proxy): a registered service's host is tunnelled to one
 * of its instances, any other host straight to its real destination (or refused in reject mode).
 * The proxy never sees inside the tunnel; it answers 200 only once the destination accepted the
 * connection, so a refused or unreachable destination is an HTTP error the client can print, and the
 * request event is recorded when the tunnel closes, with the bytes that crossed it.
 */
import type { IncomingMessage } from 'node:http';
import net, { type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { viaFor } from './forwarded-headers.js';
import { writeRawError, type ProxyFailure } from './proxy-error.js';
import type { ProxyLimits } from './proxy-limits.js';
import { parseAuthority } from './request-target.js';
import type { RequestEvents } from './request-events.js';
import { isRefusal, type Router } from './router.js';
import { splice } from './splice.js';
import { classifyUpstreamError } from './upstream-errors.js';

export interface SideChannelContext {
  router: Router;
  limits: ProxyLimits;
  events: RequestEvents;
}

export function handleConnect(context: SideChannelContext, req: IncomingMessage, duplex: Duplex, head: Buffer): void {
  // The HTTP server hands over the net.Socket it accepted; only the type says Duplex.
  const client = duplex as Socket;
  const start = performance.now();
  client.pause();
  client.on('error', () => client.destroy());
  const authorityText = req.url ?? '';
  const authority = parseAuthority(authorityText, 443);
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
  if (!authority) {
    fail({ kind: 'proxy', status: 400, service: null, instance: null, version: null, cause: 'malformed CONNECT target; expected host:port' });
    return;
  }
  const route = context.router.route(authority.host, authority.port, req.headers.via, req.headers);
  if (isRefusal(route)) {
    fail(route);
    return;
  }
  const dispatched = performance.now();
  const upstream = net.connect({ host: route.host, port: route.port, allowHalfOpen: true, noDelay: true });
  let connected = false;
  const onClientGone = () => {
    upstream.destroy();
    recordTunnel(null, 0, 'client aborted');
  };
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
    });
  };
  client.once('close', onClientGone);
  upstream.setTimeout(context.limits.connectTimeoutMs, () => {
    upstream.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }));
  });
  upstream.once('error', (error) => {
    if (connected) return; // splice() owns the tunnel's errors from here on
    client.off('close', onClientGone);
    const failure = classifyUpstreamError(error);
    fail({ ...route, ...failure, service: route.service, instance: route.instance });
  });
  upstream.once('connect', () => {
    connected = true;
    client.off('close', onClientGone);
    upstream.setTimeout(0);
    upstream.removeAllListeners('timeout');
    const opened = performance.now();
    client.write(`HTTP/1.1 200 Connection Established\r\nvia: ${viaFor(req.httpVersionMinor)}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    splice(client, upstream, context.limits.tunnelIdleTimeoutMs, () => recordTunnel(opened, 200, null));
    client.resume();
  });
}
