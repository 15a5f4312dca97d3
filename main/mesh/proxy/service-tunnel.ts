/**
 * A CONNECT to a mesh service, answered by the mesh. Node's fetch (NODE_USE_ENV_PROXY), undici's
 * ProxyAgent and gRPC clients send `CONNECT world:80` even for `http://` URLs and keep the tunnel
 * for many requests; a blind pipe to one instance would pin all of them to the version routed when
 * the tunnel opened and hide each request from retries, faults, telemetry and reroutes. So the
 * mesh answers 200 at once (it is the destination) and serves what comes inside, told apart by its
 * first bytes (tunnel-sniff.ts):
 * - HTTP/1.x: handed to the proxy's own HTTP server, so each request in the tunnel is routed,
 *   retried, measured and logged like a forward-proxied one (keep-alive, pipelining, upgrades);
 *   the client socket is the same, so caller attribution sees the real client process;
 * - HTTP/2 (gRPC): handed to the proxy's HTTP/2 side (h2/h2-front.ts), so each call (stream) in
 *   the tunnel is routed on its own, measured and logged, as a request in an HTTP/1.x tunnel is;
 * - TLS: the mesh cannot read it, so the tunnel goes whole to the instance the route picks, as one
 *   opaque exchange flagged `opaque` (logged, not counted as a request), with the reason in its
 *   decision trace.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { DecisionStep } from '../../../shared/events.js';
import type { TunnelTarget } from './request-target.js';
import { isRefusal } from './router.js';
import { connectEstablished, pipeTunnel, type SideChannelContext } from './tunnel.js';
import { sniffTunnel } from './tunnel-sniff.js';

export function serveServiceTunnel(context: SideChannelContext, req: IncomingMessage, client: Socket, head: Buffer, target: TunnelTarget, start: number): void {
  client.write(connectEstablished(req));
  sniffTunnel(client, head, context.limits.tunnelIdleTimeoutMs, (protocol, bytes) => {
    if (protocol === 'http1') context.serveHttp(client, target, bytes);
    else if (protocol === 'h2') context.serveHttp2(client, target, bytes);
    else pipeOpaque(context, req, client, bytes, target, start);
  });
}

function pipeOpaque(context: SideChannelContext, req: IncomingMessage, client: Socket, bytes: Buffer, target: TunnelTarget, start: number): void {
  const route = context.router.route(target.host, target.port, req.headers.via, req.headers, context.events.wanted);
  const opaque: DecisionStep = {
    step: 'tunnel',
    choice: null,
    reason: `TLS inside the CONNECT tunnel to ${target.authority}: the mesh cannot read the requests in it, so the whole tunnel went to one instance as one exchange, not counted as requests; call the service over http:// to have each request routed and measured`,
  };
  if (isRefusal(route)) {
    client.destroy();
    context.events.record(req, {
      ...route,
      service: route.service ?? target.host,
      path: target.authority,
      error: route.cause,
      start,
      dispatched: null,
      firstByte: null,
      bytesIn: client.bytesRead,
      bytesOut: client.bytesWritten,
      flags: ['opaque'],
      decision: [opaque],
    });
    return;
  }
  const decision: DecisionStep[] = [
    opaque,
    { step: 'version', choice: route.version, reason: route.versionReason ?? '' },
    { step: 'instance', choice: route.instance, reason: route.instanceReason ?? '' },
  ];
  pipeTunnel(context, req, client, bytes, route, start, true, { flags: ['opaque'], decision });
}
