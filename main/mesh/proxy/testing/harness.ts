/**
 * Test harness for the proxy: a real ProxyServer on 127.0.0.1:0 with a Registry the test fills,
 * real upstream servers on port 0, raw-socket and external-client helpers. Everything a helper
 * starts is closed when the current test finishes (vitest's onTestFinished), so tests own their
 * servers and share nothing.
 */
import { execFile } from 'node:child_process';
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type Server } from 'node:net';
import { onTestFinished } from 'vitest';
import type { ProxyMode } from '../../../../shared/config-schema.js';
import type { ProxiedExchange } from '../../../../shared/events.js';
import { Registry, type InstanceEntry } from '../../registry/registry.js';
import type { ResilienceOptions } from '../../resilience/resilience.js';
import {
  DEFAULT_EJECTION,
  DEFAULT_HOLD_MS,
  DEFAULT_RESTART_WINDOW_MS,
  DEFAULT_RETRY,
  type EjectionPolicy,
  type RetryPolicy,
  type ServicePolicy,
} from '../../resilience/service-policy.js';
import type { ProxyLimits } from '../proxy-limits.js';
import type { FaultSource } from '../fault-roll.js';
import { ProxyServer } from '../proxy-server.js';
import { RequestEvents } from '../request-events.js';
import type { RouteSource } from '../router.js';

export interface ProxyHarness {
  proxy: ProxyServer;
  registry: Registry;
  /** The proxy's event bus. */
  bus: RequestEvents;
  port: number;
  /** `http://127.0.0.1:<port>`, what http_proxy is set to. */
  url: string;
  /** Every request event emitted so far. */
  events: ProxiedExchange[];
  /** Registers (replacing earlier test entries) `service` with instances per version. */
  register(services: Record<string, string[] | Record<string, string[]>>): void;
  setMode(mode: ProxyMode): void;
  /** Resolves with the first event matching `match` (already emitted or still to come). */
  nextEvent(match: (event: ProxiedExchange) => boolean, timeoutMs?: number): Promise<ProxiedExchange>;
}

export interface ProxyHarnessOptions {
  mode?: ProxyMode;
  limits?: Partial<ProxyLimits>;
  maxHops?: number;
  /** Collect request events (default true); false leaves the bus without listeners. */
  listen?: boolean;
  routes?: RouteSource;
  faults?: FaultSource;
  /** Every service's policy: the defaults with these changes. */
  policy?: PolicyChanges;
  resilience?: ResilienceOptions;
}

export interface PolicyChanges extends Partial<Omit<ServicePolicy, 'retry' | 'ejection'>> {
  retry?: Partial<RetryPolicy>;
  ejection?: Partial<EjectionPolicy>;
}

/** The default policy (10 s timeouts) with `changes`. */
export function testPolicy(changes: PolicyChanges = {}): ServicePolicy {
  return {
    requestTimeoutMs: 10_000,
    connectTimeoutMs: 5_000,
    balancer: 'peak-ewma',
    holdMs: DEFAULT_HOLD_MS,
    restartWindowMs: DEFAULT_RESTART_WINDOW_MS,
    protocol: 'auto',
    ...changes,
    retry: { ...DEFAULT_RETRY, ...changes.retry },
    ejection: { ...DEFAULT_EJECTION, ...changes.ejection },
  };
}

export async function startProxy(options: ProxyHarnessOptions = {}): Promise<ProxyHarness> {
  const registry = new Registry();
  const bus = new RequestEvents();
  let mode: ProxyMode = options.mode ?? 'passthrough';
  const policy = options.policy ? testPolicy({ requestTimeoutMs: options.limits?.upstreamTimeoutMs ?? 10_000, ...options.policy }) : undefined;
  const proxy = new ProxyServer({
    registry,
    events: bus,
    mode: () => mode,
    maxHops: options.maxHops,
    limits: options.limits,
    routes: options.routes,
    faults: options.faults,
    policy: policy && (() => policy),
    resilience: options.resilience,
  });
  const events: ProxiedExchange[] = [];
  const waiters = new Set<(event: ProxiedExchange) => void>();
  if (options.listen !== false) {
    bus.subscribe((event) => {
      events.push(event);
      for (const waiter of waiters) waiter(event);
    });
  }
  const port = await listenOn(proxy.server);
  onTestFinished(async () => {
    await closeServer(proxy.server);
    await proxy.close();
  });
  return {
    proxy,
    registry,
    bus,
    port,
    url: `http://127.0.0.1:${port}`,
    /** What the bus delivered, once it delivered all it holds (it delivers at the end of a turn). */
    get events() {
      bus.flush();
      return events;
    },
    register(services) {
      const entries: InstanceEntry[] = [];
      for (const [service, spec] of Object.entries(services)) {
        const versions = Array.isArray(spec) ? { v1: spec } : spec;
        for (const [version, addresses] of Object.entries(versions)) {
          for (const address of addresses) entries.push({ service, version, address, origin: 'test' });
        }
      }
      registry.replaceSource('test', entries);
    },
    setMode(next) {
      mode = next;
    },
    nextEvent(match, timeoutMs = 5_000) {
      bus.flush();
      const found = events.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching request event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        const waiter = (event: ProxiedExchange) => {
          if (!match(event)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(event);
        };
        waiters.add(waiter);
      });
    },
  };
}

export interface Upstream {
  server: http.Server;
  port: number;
  /** `127.0.0.1:<port>`, as a registry address. */
  address: string;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Requests received so far. */
  requests: IncomingMessage[];
}

/** A real HTTP server on 127.0.0.1:0; `handler` defaults to an echo of method, path and body. */
export async function startUpstream(handler: RequestListener = echoHandler('upstream')): Promise<Upstream> {
  const requests: IncomingMessage[] = [];
  const server = http.createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
    requests.push(req);
    handler(req, res);
  });
  let connections = 0;
  server.on('connection', () => connections++);
  const port = await listenOn(server);
  onTestFinished(() => closeServer(server));
  return { server, port, address: `127.0.0.1:${port}`, connections: () => connections, requests };
}

/** Answers `<name> <METHOD> <path> <body>` and reports what arrived in x-echo-* headers. */
export function echoHandler(name: string): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      res.writeHead(200, {
        'content-type': 'text/plain',
        'x-echo-host': req.headers.host ?? '',
        'x-echo-chunked': String(req.headers['transfer-encoding'] === 'chunked'),
      });
      res.end(req.method === 'HEAD' ? undefined : `${name} ${req.method} ${req.url} ${body}`);
    });
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listenOn(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function listenOn(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    (server as http.Server).closeAllConnections?.();
  });
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Feeds the client's standard input, which is closed once the promise settles. */
  stdin?: (write: (text: string) => void) => Promise<void>;
}

/**
 * Runs an external client (curl, wget, python3) with an environment free of the machine's own proxy
 * variables, plus `env`. Never rejects: the exit code is part of what tests assert.
 */
export function run(command: string, args: string[], env: Record<string, string> = {}, timeoutMs = 15_000, options: RunOptions = {}): Promise<CommandResult> {
  const base: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(https?|no|all)_proxy$/i.test(name)) base[name] = value;
  }
  return new Promise((resolve) => {
    const child = execFile(command, args, { env: { ...base, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
    const feed = options.stdin;
    if (feed !== undefined) void feed((text) => child.stdin?.write(text)).finally(() => child.stdin?.end());
  });
}
