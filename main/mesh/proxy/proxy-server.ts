/**
 * The proxy listener (default 127.0.0.1:4140). Every request of the user's services crosses it, so
 * the per-request path does only what routing needs: parse the target, look the service up, pick an
 * instance, stream. Anything a client or an upstream sends ends in an answer, never a crash.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { ProxyMode } from '../../../shared/config-schema.js';
import { routable, type Registry } from '../registry/registry.js';
import { callerOf } from './caller.js';
import { forward } from './forward.js';
import { meshHops, upstreamRequestHeaders } from './forwarded-headers.js';
import { sendProxyError, type ProxyFailure } from './proxy-error.js';
import { parseRequestTarget, serviceNameOf, type RequestTarget } from './request-target.js';
import type { RequestEvents } from './request-events.js';
import { RoundRobin } from './round-robin.js';
import { UpstreamPools } from './upstream-pools.js';

export interface ProxyOptions {
  registry: Registry;
  events: RequestEvents;
  mode: () => ProxyMode;
  /** A request that has crossed the proxy this many times already is a loop. */
  maxHops: number;
  upstreamTimeoutMs: number;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::']);

export class ProxyServer {
  readonly server: http.Server;
  private readonly pools: UpstreamPools;
  private readonly balancer = new RoundRobin();
  private ownPort = 0;

  constructor(private readonly options: ProxyOptions) {
    this.pools = new UpstreamPools({ headersTimeoutMs: options.upstreamTimeoutMs, bodyTimeoutMs: options.upstreamTimeoutMs });
    this.server = http.createServer(
      {
        // Slowloris: a client must finish its headers within 10 s, its whole request within 60 s.
        headersTimeout: 10_000,
        requestTimeout: 60_000,
        keepAliveTimeout: 5_000,
        maxHeaderSize: 32 * 1024,
      },
      (req, res) => void this.handle(req, res),
    );
    this.server.on('listening', () => {
      const address = this.server.address();
      if (address && typeof address === 'object') this.ownPort = address.port;
    });
  }

  async close(): Promise<void> {
    await this.pools.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    const start = performance.now();
    const bytesReadBefore = req.socket.bytesRead;
    const bytesWrittenBefore = req.socket.bytesWritten;
    const target = parseRequestTarget(req.url ?? '', req.headers.host);
    const caller = callerOf(req);
    let service: string | null;
    let version: string | null = null;
    let instance: string | null = null;
    let status: number;
    let error: string | null;
    let dispatched: number | null = null;
    let firstByte: number | null = null;

    const route = target ? this.route(target, req) : ({ status: 400, service: null, instance: null, cause: 'malformed request target' } as const);
    if ('cause' in route) {
      sendProxyError(req, res, route);
      status = route.status;
      error = route.cause;
      service = route.service;
    } else {
      service = route.service;
      version = route.version;
      instance = route.instance;
      const headers = upstreamRequestHeaders(req, target?.host ?? '');
      const result = await forward(this.pools.get(route.origin), req, res, (target as RequestTarget).path, headers);
      dispatched = result.dispatched - start;
      firstByte = result.firstByte === null ? null : result.firstByte - start;
      status = result.status;
      error = result.error;
      if (result.failureStatus !== null && result.failureStatus !== 499) {
        sendProxyError(req, res, { status: result.failureStatus, service, instance, cause: result.error ?? 'upstream failed' });
        if (status === 0) status = result.failureStatus;
      }
    }

    if (!this.options.events.wanted) return;
    this.options.events.emit({
      id: this.options.events.newId(),
      kind: route && 'kind' in route ? route.kind : 'service',
      caller,
      service: service ?? target?.host ?? '',
      version,
      instance,
      method: req.method ?? '',
      path: target?.path ?? req.url ?? '',
      status,
      startedAt,
      timings: { dispatched, firstByte, end: performance.now() - start },
      bytesIn: req.socket.bytesRead - bytesReadBefore,
      bytesOut: req.socket.bytesWritten - bytesWrittenBefore,
      error,
    });
  }

  private route(
    target: RequestTarget,
    req: IncomingMessage,
  ): ProxyFailure | { kind: 'service' | 'external'; service: string; version: string | null; instance: string; origin: string } {
    if (meshHops(req.headers.via as string | undefined) >= this.options.maxHops) {
      return { status: 508, service: target.host, instance: null, cause: 'request loop detected (Via shows it crossed the mesh too often)' };
    }
    const registered = this.options.registry.lookup(serviceNameOf(target.host));
    if (registered) {
      const [version, instances] = registered.versions.entries().next().value ?? [null, []];
      const picked = this.balancer.pick(`${registered.name}@${version}`, routable(instances));
      if (!picked || version === null) {
        return { status: 503, service: registered.name, instance: null, cause: 'no healthy instance' };
      }
      return { kind: 'service', service: registered.name, version, instance: picked.address, origin: `http://${picked.address}` };
    }
    if (LOOPBACK_NAMES.has(target.host) && target.port === this.ownPort) {
      return { status: 508, service: null, instance: null, cause: 'request addressed to the proxy itself' };
    }
    if (this.options.mode() === 'reject') {
      return { status: 502, service: target.host, instance: null, cause: 'unknown service (proxy mode is reject)' };
    }
    const authority = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
    return { kind: 'external', service: target.host, version: null, instance: authority, origin: `http://${authority}` };
  }
}
