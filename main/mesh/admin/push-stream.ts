/**
 * The push stream (Server-Sent Events): items published by the mesh are queued and flushed to every
 * connected client at most once per PUSH_INTERVAL_MS. When no client is connected, publishing costs a
 * size check. A client that cannot keep up (its socket buffer is full) is disconnected rather than
 * buffered without bound: it reconnects and refetches state.
 */
import type { ServerResponse } from 'node:http';
import { PUSH_INTERVAL_MS, SSE_EVENT, type PushBatch, type PushItem } from '../../../shared/push.js';

/** Request events kept per batch; beyond this the oldest are dropped and counted. */
const MAX_REQUEST_ITEMS = 5_000;
/** Bytes a client may have unsent before it is considered stuck. */
const MAX_CLIENT_BACKLOG = 8 * 1024 * 1024;

export class PushStream {
  private readonly clients = new Map<ServerResponse, { seq: number }>();
  private requests: PushItem[] = [];
  private readonly latestState = new Map<PushItem['kind'], PushItem>();
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;

  get listening(): boolean {
    return this.clients.size > 0;
  }

  attach(res: ServerResponse, initial: PushItem[]): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    const client = { seq: 0 };
    this.clients.set(res, client);
    res.on('close', () => this.clients.delete(res));
    // Tell the browser how soon to reconnect, then give this client the current state at once.
    res.write('retry: 1000\n\n');
    this.write(res, client, JSON.stringify({ items: initial, dropped: 0 } satisfies Omit<PushBatch, 'seq'>).slice(1));
  }

  publish(item: PushItem): void {
    if (this.clients.size === 0) return;
    // Events are queued in order (request events bounded); state items keep only their latest.
    if (item.kind === 'request' || item.kind === 'instance') {
      if (this.requests.length >= MAX_REQUEST_ITEMS) {
        this.requests.shift();
        this.dropped++;
      }
      this.requests.push(item);
    } else {
      this.latestState.set(item.kind, item);
    }
    this.timer ??= setTimeout(() => this.flush(), PUSH_INTERVAL_MS);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const res of this.clients.keys()) res.end();
    this.clients.clear();
  }

  private flush(): void {
    this.timer = null;
    const items = [...this.latestState.values(), ...this.requests];
    const dropped = this.dropped;
    this.requests = [];
    this.latestState.clear();
    this.dropped = 0;
    if (items.length === 0 && dropped === 0) return;
    // Serialised once for all clients; only the sequence number differs.
    const body = JSON.stringify({ items, dropped } satisfies Omit<PushBatch, 'seq'>).slice(1);
    for (const [res, client] of this.clients) this.write(res, client, body);
  }

  private write(res: ServerResponse, client: { seq: number }, bodyAfterBrace: string): void {
    if (res.writableLength > MAX_CLIENT_BACKLOG) {
      this.clients.delete(res);
      res.destroy();
      return;
    }
    client.seq++;
    res.write(`event: ${SSE_EVENT}\ndata: {"seq":${client.seq},${bodyAfterBrace}\n\n`);
  }
}
