/**
 * Upgrade requests (WebSocket, in absolute-URI or Host-header form): the handshake is forwarded to
 * the routed upstream with Node's http client, which hands back the raw socket on 101; from then on
 * the two sockets are spliced. An upgraded connection can never return to a pool, so nothing is
 * pooled here. An upstream that declines the upgrade gets its ordinary answer relayed and the
 * connection closed; the request event is recorded when the connection ends.
 *
 * HTTP/1.0 has no Upgrade (RFC 9110 §7.8: a server must ignore it there), but llhttp flags such a
 * request as one anyway; it is handed back to the proxy's request path without its Upgrade, as
 * the plain request it is.
 */
import type { IncomingMessage } from 'node:http';
import http from '../node-http.js';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { downstreamResponseHeaders, upstreamRequestHeaders, type HeaderMap } from './forwarded-headers.js';
import { writeRawError, type ProxyFailure } from './proxy-error.js';
import { parseRequestTarget, tunnelRequestTarget, type TunnelTarget } from './request-target.js';
import { isRefusal, type Refusal, type Route } from './router.js';
import { splice } from './splice.js';
import type { SideChannelContext } from './tunnel.js';
import { classifyUpstreamError } from './upstream-errors.js';

export function handleUpgrade(context: SideChannelContext, req: IncomingMessage, duplex: Duplex, head: Buffer, tunnel: TunnelTarget | null): void {
  const client = duplex as Socket;
  const start = performance.now();
  client.pause();
  if (req.httpVersionMajor === 1 && req.httpVersionMinor === 0) {
    context.serveHttp(client, tunnel, Buffer.concat([requestWithoutUpgrade(req), head]));
    return;
  }
  client.on('error', () => client.destroy());
  const target = tunnel === null ? parseRequestTarget(req.url ?? '', req.headers.host) : tunnelRequestTarget(req.url ?? '', req.headers.host, tunnel);
  const path = 'error' in target ? (req.url ?? '') : target.path;
  const record = (route: Route | Refusal, status: number, error: string | null, dispatched: number | null, firstByte: number | null) => {
    context.events.record(req, {
      kind: route.kind,
      service: route.service ?? '',
      version: route.version,
      instance: route.instance,
      path,
      status,
      error,
      start,
      dispatched,
      firstByte,
      bytesIn: client.bytesRead,
      bytesOut: client.bytesWritten,
      ...(tunnel === null ? {} : { flags: ['tunnelled' as const] }),
    });
  };
  const refuse = (refusal: Refusal) => {
    writeRawError(client, req.headers, refusal);
    record(refusal, refusal.status, refusal.cause, null, null);
  };
  if ('error' in target) {
    refuse({ kind: 'proxy', status: 400, service: null, instance: null, version: null, cause: target.error });
    return;
  }
  const route = context.router.route(target.host, target.port, req.headers.via, req.headers);
  if (isRefusal(route)) {
    refuse(route);
    return;
  }

  const dispatched = performance.now();
  let answered = false;
  const upstreamReq = http.request({
    host: route.host,
    port: route.port,
    method: req.method,
    path: target.path,
    headers: upstreamRequestHeaders(req, target.authority, true),
    agent: false,
    timeout: context.limits.upstreamTimeoutMs,
  });
  const failure = (cause: ProxyFailure): void => {
    answered = true;
    writeRawError(client, req.headers, cause);
    record(route, cause.status, cause.cause, dispatched, null);
  };
  const onClientGone = () => {
    upstreamReq.destroy();
    if (!answered) record(route, 0, 'client aborted', dispatched, null);
    answered = true;
  };
  client.once('close', onClientGone);
  upstreamReq.on('timeout', () => upstreamReq.destroy(Object.assign(new Error('timed out'), { code: 'UND_ERR_HEADERS_TIMEOUT' })));
  upstreamReq.on('error', (error) => {
    if (answered) return;
    client.off('close', onClientGone);
    const { status, cause } = classifyUpstreamError(error);
    failure({ status, cause, service: route.service, instance: route.instance });
  });
  upstreamReq.on('upgrade', (upstreamRes: IncomingMessage, upstream: Socket, upstreamHead: Buffer) => {
    answered = true;
    client.off('close', onClientGone);
    upstream.setTimeout(0);
    const firstByte = performance.now();
    client.write(statusBlock(upstreamRes, downstreamResponseHeaders(upstreamRes.headers, true)));
    if (upstreamHead.length > 0) client.write(upstreamHead);
    if (head.length > 0) upstream.write(head);
    splice(client, upstream, context.limits.tunnelIdleTimeoutMs, () => record(route, 101, null, dispatched, firstByte));
    client.resume();
  });
  upstreamReq.on('response', (upstreamRes: IncomingMessage) => {
    // The upstream said no to the upgrade; relay its answer as it is and close.
    answered = true;
    client.off('close', onClientGone);
    const firstByte = performance.now();
    const headers = downstreamResponseHeaders(upstreamRes.headers);
    headers.connection = 'close';
    client.write(statusBlock(upstreamRes, headers));
    upstreamRes.pipe(client);
    upstreamRes.on('error', () => client.destroy());
    client.once('finish', () => client.destroy());
    client.once('close', () => {
      upstreamReq.destroy();
      record(route, upstreamRes.statusCode ?? 0, null, dispatched, firstByte);
    });
    client.resume();
  });
  upstreamReq.end();
}

function statusBlock(res: IncomingMessage, headers: HeaderMap): string {
  let block = `HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}\r\n`;
  for (const name in headers) {
    const value = headers[name] as string | string[];
    if (Array.isArray(value)) for (const item of value) block += `${name}: ${item}\r\n`;
    else block += `${name}: ${value}\r\n`;
  }
  return `${block}\r\n`;
}

/** The request's head as the client sent it, minus Upgrade and Connection (HTTP/1.0 closes anyway). */
function requestWithoutUpgrade(req: IncomingMessage): Buffer {
  let text = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.0\r\n`;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (name !== 'upgrade' && name !== 'connection') text += `${raw[i] as string}: ${raw[i + 1] as string}\r\n`;
  }
  // llhttp decoded the head as latin1, so latin1 gives back the client's bytes.
  return Buffer.from(`${text}\r\n`, 'latin1');
}
