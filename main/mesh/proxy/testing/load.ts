/**
 * Load for routing and resilience tests: a keep-alive undici client pointed at the proxy (requests
 * routed by Host header, as Linkerd-style clients send them), run closed-loop (N requests, K at a
 * time) or paced (a target rate for a duration, with a cap on requests in flight). A request never
 * rejects: its failure is part of what tests count. The client is closed when the test finishes.
 */
import http from 'node:http';
import { Pool } from 'undici';
import { onTestFinished } from 'vitest';

export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  /** `performance.now()` when the request was handed to the client. */
  sentAt: number;
  /** Transport error, if the request got no response. */
  error: string | null;
}

export interface SendOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

export class ProxyClient {
  private readonly pool: Pool;

  constructor(port: number, connections = 16) {
    this.pool = new Pool(`http://127.0.0.1:${port}`, { connections, keepAliveTimeout: 10_000 });
    onTestFinished(() => this.pool.destroy());
  }

  async send(service: string, options: SendOptions = {}): Promise<Reply> {
    const sentAt = performance.now();
    try {
      const response = await this.pool.request({
        method: (options.method ?? 'GET') as 'GET',
        path: options.path ?? '/',
        headers: { host: service, ...options.headers },
        body: options.body,
      });
      const body = await response.body.text();
      return { status: response.statusCode, body, headers: response.headers, sentAt, error: null };
    } catch (error) {
      return { status: 0, body: '', headers: {}, sentAt, error: (error as Error).message };
    }
  }
}

/** Runs `task(0..count-1)`, at most `concurrency` at a time. */
export async function closedLoop(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Runs `task` until `stop()` says so, with `concurrency` workers. */
export async function untilStopped(concurrency: number, stop: () => boolean, task: (index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (!stop()) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return next;
}

export interface PacedLoad {
  ratePerSecond: number;
  durationMs: number;
  /** Requests in flight at most; the pace slips rather than the cap when the machine is slow. */
  maxInFlight: number;
}

/** Starts `task` at the target rate for the duration; resolves when all have ended. */
export async function paced(load: PacedLoad, task: (index: number) => Promise<void>): Promise<{ sent: number; elapsedMs: number }> {
  const started = performance.now();
  let sent = 0;
  let inFlight = 0;
  const running = new Set<Promise<void>>();
  while (true) {
    const elapsed = performance.now() - started;
    if (elapsed >= load.durationMs) break;
    const due = Math.floor((elapsed / 1_000) * load.ratePerSecond);
    while (sent < due && inFlight < load.maxInFlight) {
      inFlight++;
      const run: Promise<void> = task(sent++).finally(() => {
        inFlight--;
        running.delete(run);
      });
      running.add(run);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const elapsedMs = performance.now() - started;
  await Promise.all(running);
  return { sent, elapsedMs };
}

/** An upstream that answers `<name> <path>` after `delayMs`, counting what it answered. */
export async function namedUpstream(name: string, delayMs = 0): Promise<{ server: http.Server; address: string; port: number; hits: () => number }> {
  let hits = 0;
  const server = http.createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
    hits++;
    req.resume();
    const answer = () => res.writeHead(200, { 'content-type': 'text/plain', 'x-served-by': name }).end(`${name} ${req.url}`);
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        if (!server.listening) resolve();
      }),
  );
  return { server, address: `127.0.0.1:${port}`, port, hits: () => hits };
}
