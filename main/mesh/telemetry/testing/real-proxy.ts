/**
 * Real traffic for the telemetry tests: a real ProxyServer on 127.0.0.1:0 with its own event bus
 * and registry, and real upstream HTTP servers whose answers a test controls through the query
 * string (`?delay=ms&status=code`). Everything is closed when the current test finishes.
 */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import type { ProxyMode } from '../../../../shared/config-schema.js';
import type { ProxiedExchange } from '../../../../shared/events.js';
import { ProxyServer } from '../../proxy/proxy-server.js';
import { RequestEvents } from '../../proxy/request-events.js';
import { Registry, type InstanceEntry } from '../../registry/registry.js';
import { DEFAULT_RETRY, defaultPolicy } from '../../resilience/service-policy.js';

export interface RealProxy {
  url: string;
  port: number;
  bus: RequestEvents;
  /** The proxy itself, for what it reports besides exchanges (ejections, retry budgets). */
  proxy: ProxyServer;
  registry: Registry;
  /** Every event the bus carried, in order. */
  events: ProxiedExchange[];
  /** `{ world: { v1: ['127.0.0.1:7002'] } }`. */
  register(services: Record<string, Record<string, string[]>>): void;
}

export async function startRealProxy(mode: ProxyMode = 'passthrough'): Promise<RealProxy> {
  const registry = new Registry();
  const bus = new RequestEvents();
  const events: ProxiedExchange[] = [];
  bus.subscribe((event) => events.push(event));
  // A known load: each request is exactly one upstream answer, so the proxy does not retry.
  const policy = { ...defaultPolicy({ requestTimeoutMs: 10_000, connectTimeoutMs: 5_000 }), retry: { ...DEFAULT_RETRY, attempts: 0 } };
  const proxy = new ProxyServer({ registry, events: bus, mode: () => mode, policy: () => policy });
  const port = await listen(proxy.server);
  onTestFinished(async () => {
    await close(proxy.server);
    await proxy.close();
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    bus,
    proxy,
    registry,
    /** What the bus delivered, once it delivered all it holds (it delivers at the end of a turn). */
    get events() {
      bus.flush();
      return events;
    },
    register(services) {
      const entries: InstanceEntry[] = [];
      for (const [service, versions] of Object.entries(services)) {
        for (const [version, addresses] of Object.entries(versions)) {
          for (const address of addresses) entries.push({ service, version, address, origin: 'test' });
        }
      }
      registry.replaceSource('test', entries);
    },
  };
}

export interface ControlledUpstream {
  address: string;
  /** Requests it answered. */
  answered(): number;
}

/** Answers after `?delay=` ms with `?status=` (default 200) and a body of `?size=` bytes (default 2). */
export async function startControlledUpstream(): Promise<ControlledUpstream> {
  let answered = 0;
  const server = http.createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://upstream').searchParams;
    const delay = Number(query.get('delay') ?? 0);
    const status = Number(query.get('status') ?? 200);
    const body = 'x'.repeat(Number(query.get('size') ?? 2));
    req.resume();
    setTimeout(() => {
      answered++;
      res.writeHead(status, { 'content-type': 'text/plain', 'content-length': body.length }).end(body);
    }, delay);
  });
  const port = await listen(server);
  onTestFinished(() => close(server));
  return { address: `127.0.0.1:${port}`, answered: () => answered };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
