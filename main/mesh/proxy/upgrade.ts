/**
 * Upgrade requests (WebSocket, in absolute-URI or Host-header form): the handshake is forwarded to
 * the routed upstream with Node's http client, which hands back the raw socket on 101; from then on
 * the two sockets are spliced. An upgraded connection can never return to a pool, so nothing is
 * pooled here. An upstream that declines the upgrade gets its ordinary answer relayed and the
 * connection closed; the request event is recorded when the connection ends.
 */
import http, { type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { downstreamResponseHeaders, upstreamRequestHeaders, type HeaderMap } from './forwarded-headers.js';
import { writeRawError, type ProxyFailure } from './proxy-error.js';
import { parseRequestTarget } from './request-target.js';
import { isRefusal, type Refusal, type Route } from './router.js';
import { splice } from './splice.js';
import type { SideChannelContext } from './tunnel.js';
import { classifyUpstreamError } from './upstream-errors.js';

export function handleUpgrade(context: SideChannelContext, req: IncomingMessage, duplex: Duplex, head: Buffer): void {
  const client = duplex as Socket;
  const start = performance.now();
  client.pause();
  client.on('error', () => client.destroy());
  const target = parseRequestTarget(req.url ?? '', req.headers.host);
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
