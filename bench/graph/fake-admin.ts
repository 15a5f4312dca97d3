/**
 * A stand-in admin server for the graph benchmark: it serves the built dashboard (dist/renderer)
 * and a push stream fed by the synthetic mesh — stats once a second and request events every
 * 100 ms at the mesh's total rate, the same cadence and batch shape as the real PushStream, and
 * like it, request events only to a client that asks for them (`?requests=`: the dashboard asks
 * for rows while a request log is open, for none otherwise) — so the browser does exactly the work
 * it does against a busy mesh, without running thousands of real requests on a shared two-core
 * machine. Commands (reroute) answer like the mesh would. Loopback only, port 0.
 */
import { existsSync } from 'node:fs';
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { logRow } from '../../main/mesh/admin/push-stream.js';
import { serveStatic } from '../../main/mesh/admin/static-files.js';
import type { MeshInfo } from '../../shared/api.js';
import {
  PUSH_INTERVAL_MS,
  PUSH_REQUESTS_PARAM,
  pushRequestsScopeSchema,
  SSE_EVENT,
  toWireBatch,
  type PushBatch,
  type PushItem,
  type PushRequestsScope,
} from '../../shared/push.js';
import { requestEvents, statsAt, type SyntheticMesh } from './synthetic-mesh.js';

export interface FakeAdmin {
  url: string;
  close(): Promise<void>;
}

export async function startFakeAdmin(mesh: SyntheticMesh, rendererRoot: string): Promise<FakeAdmin> {
  if (!existsSync(path.join(rendererRoot, 'index.html'))) throw new Error(`no built dashboard in ${rendererRoot}: run npm run build first`);
  /** Each client's scope, and its batch number: numbered per client, as the mesh's stream is. */
  const clients = new Map<ServerResponse, { requests: PushRequestsScope; seq: number }>();
  let url = '';
  const info = (): MeshInfo => ({
    version: 'bench',
    proxyUrl: 'http://127.0.0.1:4140',
    adminUrl: url,
    configFile: null,
    configErrors: [],
    startedAt: new Date().toISOString(),
    demoLoaded: false,
  });

  const server = http.createServer((req, res) => {
    const requestUrl = new URL(req.url ?? '/', 'http://bench');
    const pathname = requestUrl.pathname;
    if (pathname === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
      const requests = pushRequestsScopeSchema.safeParse(requestUrl.searchParams.get(PUSH_REQUESTS_PARAM) ?? 'full');
      const client = { requests: requests.success ? requests.data : 'full', seq: 1 };
      clients.set(res, client);
      res.on('close', () => clients.delete(res));
      const initial: PushItem[] = [
        { kind: 'info', info: info() },
        { kind: 'services', services: mesh.services },
        { kind: 'routes', routes: mesh.routes },
        { kind: 'faults', faults: [] },
        { kind: 'stats', stats: statsAt(mesh, Date.now(), 1) },
      ];
      // Numbered from 1, as the mesh's own stream is: the contract refuses a batch numbered 0.
      send(res, { seq: 1, items: initial, dropped: 0 });
      return;
    }
    if (pathname === '/api/info') return json(res, info());
    if (pathname === '/api/routes/reroute' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const input = JSON.parse(body) as { service: string; version?: string };
        const route = mesh.routes.find((entry) => entry.service === input.service);
        if (!route || !input.version) return json(res, { error: 'unknown service' }, 404);
        return json(res, {
          ...route,
          route: { weights: { [input.version]: 1 }, headerRules: [] },
          effectiveWeights: Object.fromEntries(route.versions.map((v) => [v, v === input.version ? 1 : 0])),
        });
      });
      return;
    }
    if (pathname.startsWith('/api/')) return json(res, { error: 'not in the benchmark' }, 404);
    // The built dashboard, served as the mesh serves it.
    void serveStatic(path.resolve(rendererRoot), req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The feed: a batch every 100 ms with that slice of the request rate, stats every 10th batch;
  // each client is sent what its scope asks for, and no batch when that is nothing.
  let tick = 1;
  let nextId = 1;
  const perBatch = Math.round((mesh.size.totalRps * PUSH_INTERVAL_MS) / 1000);
  const timer = setInterval(() => {
    if (clients.size === 0) return;
    tick++;
    const now = Date.now();
    const events = requestEvents(mesh, perBatch, nextId, now, tick);
    nextId += perBatch;
    const state: PushItem[] = tick % 10 === 0 ? [{ kind: 'stats', stats: statsAt(mesh, now, tick) }] : [];
    const forms = new Map<PushRequestsScope, PushItem[]>();
    const itemsFor = (scope: PushRequestsScope): PushItem[] => {
      if (scope === 'none') return state;
      let items = forms.get(scope);
      if (!items) {
        const rows = scope === 'rows' ? events.map((event) => logRow(event)) : events;
        items = [...state, ...rows.map((event): PushItem => ({ kind: 'request', event }))];
        forms.set(scope, items);
      }
      return items;
    };
    for (const [res, client] of clients) {
      const items = itemsFor(client.requests);
      if (items.length > 0) send(res, { seq: ++client.seq, items, dropped: 0 });
    }
  }, PUSH_INTERVAL_MS);

  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const client of clients.keys()) client.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, batch: PushBatch): void {
  res.write(`event: ${SSE_EVENT}\ndata: ${JSON.stringify(toWireBatch(batch))}\n\n`);
}

function json(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
