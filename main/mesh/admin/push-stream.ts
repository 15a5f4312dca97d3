/**
 * The push stream (Server-Sent Events): items published by the mesh are queued and flushed to every
 * connected client at most once per PUSH_INTERVAL_MS. When no client is connected, publishing costs a
 * size check. A client that cannot keep up (its socket buffer is full) is disconnected rather than
 * buffered without bound: it reconnects and refetches state.
 *
 * What a client is sent is filtered at the source, per subscriber (as Linkerd's tap does; the
 * scopes are PushRequestsScope's): a client that asked for no request events (the dashboard when
 * its request log is closed) is sent state only, and while no client wants request events,
 * publishing one costs a counter check. Request events are serialised once per form that some
 * client wants (whole, or as log rows), when published, into bytes outside the heap (json-rows.ts
 * says why); state items are few and are serialised once per batch, stats in rows (stats-wire.ts).
 * Each part is written to every client that wants it; only the sequence number differs per client.
 */
import type { ServerResponse } from 'node:http';
import type { RequestEvent } from '../../../shared/events.js';
import { PUSH_INTERVAL_MS, SSE_EVENT, toWireItem, type PushItem, type PushRequestsScope } from '../../../shared/push.js';
import { JsonRows } from './json-rows.js';

/** Request events kept per batch; beyond this new ones are dropped and counted. */
const MAX_REQUEST_ITEMS = 5_000;
/** Bytes of request events kept per batch (about 5,000 routed events). */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Bytes a client may have unsent before it is considered stuck. */
const MAX_CLIENT_BACKLOG = 8 * 1024 * 1024;

/** What one client asked to be sent; state items are always sent. */
export interface PushScope {
  requests: PushRequestsScope;
}

interface Client {
  seq: number;
  requests: PushRequestsScope;
}

type Form = Exclude<PushRequestsScope, 'none'>;

const REQUEST_PREFIX = '{"kind":"request","event":';

export class PushStream {
  private readonly clients = new Map<ServerResponse, Client>();
  /** Clients per form of request events, and each form's rows of the coming batch. */
  private readonly formClients: Record<Form, number> = { rows: 0, full: 0 };
  private readonly forms: Record<Form, JsonRows> = {
    rows: new JsonRows({ maxRows: MAX_REQUEST_ITEMS, maxBytes: MAX_REQUEST_BYTES }),
    full: new JsonRows({ maxRows: MAX_REQUEST_ITEMS, maxBytes: MAX_REQUEST_BYTES }),
  };
  /** Instance events: rare, in order, for every client (the topology shows ejections). */
  private instanceItems: PushItem[] = [];
  private readonly latestState = new Map<PushItem['kind'], PushItem>();
  private timer: NodeJS.Timeout | null = null;

  get listening(): boolean {
    return this.clients.size > 0;
  }

  attach(res: ServerResponse, initial: PushItem[], scope: PushScope = { requests: 'full' }): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    const client: Client = { seq: 0, requests: scope.requests };
    this.clients.set(res, client);
    if (client.requests !== 'none') this.formClients[client.requests]++;
    res.on('close', () => this.detach(res));
    // Tell the browser how soon to reconnect, then give this client the current state at once.
    res.write('retry: 1000\n\n');
    this.write(res, client, JSON.stringify(initial.map(toWireItem)).slice(1, -1), null, 0);
  }

  publish(item: PushItem): void {
    if (this.clients.size === 0) return;
    if (item.kind === 'request') {
      if (this.formClients.full === 0 && this.formClients.rows === 0) return;
      if (this.formClients.full > 0) this.forms.full.append(REQUEST_PREFIX, JSON.stringify(item.event), '}');
      if (this.formClients.rows > 0) this.forms.rows.append(REQUEST_PREFIX, JSON.stringify(logRow(item.event)), '}');
    } else if (item.kind === 'instance') {
      this.instanceItems.push(item);
    } else {
      // State items carry the whole new state: a batch keeps only the latest of each.
      this.latestState.set(item.kind, item);
    }
    this.timer ??= setTimeout(() => this.flush(), PUSH_INTERVAL_MS);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const res of this.clients.keys()) res.end();
    this.clients.clear();
    for (const form of ['rows', 'full'] as const) {
      this.formClients[form] = 0;
      this.forms[form].clear();
    }
  }

  private detach(res: ServerResponse): void {
    const client = this.clients.get(res);
    if (!client) return;
    this.clients.delete(res);
    if (client.requests === 'none') return;
    if (--this.formClients[client.requests] === 0) this.forms[client.requests].clear();
  }

  private flush(): void {
    this.timer = null;
    const stateItems = [...this.latestState.values(), ...this.instanceItems];
    this.latestState.clear();
    this.instanceItems = [];
    const taken = { rows: this.forms.rows.take(), full: this.forms.full.take() };
    const state = stateItems.length > 0 ? JSON.stringify(stateItems.map(toWireItem)).slice(1, -1) : '';
    for (const [res, client] of this.clients) {
      const requests = client.requests === 'none' ? null : taken[client.requests];
      if (requests && (requests.rows > 0 || requests.dropped > 0)) this.write(res, client, state, requests.rows > 0 ? requests.bytes : null, requests.dropped);
      else if (state) this.write(res, client, state, null, 0);
    }
  }

  /**
   * One batch in one SSE message, as PushBatch lays it out: `{"seq":…,"items":[state…,requests…],"dropped":…}`.
   * Corked, so the three pieces leave in one write.
   */
  private write(res: ServerResponse, client: Client, state: string, requests: Buffer | null, dropped: number): void {
    if (res.writableLength > MAX_CLIENT_BACKLOG) {
      this.detach(res);
      res.destroy();
      return;
    }
    client.seq++;
    const head = `event: ${SSE_EVENT}\ndata: {"seq":${client.seq},"items":[${state}`;
    res.cork();
    res.write(requests && state ? `${head},` : head);
    if (requests) res.write(requests);
    res.write(`],"dropped":${dropped}}\n\n`);
    res.uncork();
  }
}

/**
 * A request event as the log's rows show it: attempts and the decision trace come with getExchange.
 * Written out field by field: with a rest pattern (`{ attempts, decision, ...row }`) a row cost about
 * what a whole event does (4.0 against 1.1 µs per event, JSON.stringify included, warmed up); the
 * `satisfies` fails the build when the event gains a field not listed here.
 */
export function logRow(event: RequestEvent) {
  const e = event;
  return {
    id: e.id,
    kind: e.kind,
    caller: e.caller,
    service: e.service,
    version: e.version,
    instance: e.instance,
    method: e.method,
    path: e.path,
    status: e.status,
    startedAt: e.startedAt,
    timings: e.timings,
    bytesIn: e.bytesIn,
    bytesOut: e.bytesOut,
    error: e.error,
    protocol: e.protocol,
    grpc: e.grpc,
    flags: e.flags,
    retries: e.retries,
    failed: e.failed,
  } satisfies Record<Exclude<keyof RequestEvent, 'attempts' | 'decision'>, unknown>;
}
