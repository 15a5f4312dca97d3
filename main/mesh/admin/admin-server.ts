/**
 * The admin server (default 127.0.0.1:9990): the admin contract in shared/api.ts as JSON over
 * HTTP, and the built dashboard. Security model so far: it binds to loopback, and it answers only
 * requests whose Host header is a loopback name, so a web page that rebinds its own DNS name to
 * 127.0.0.1 cannot read it; no CORS headers are ever sent, so other origins cannot read answers.
 * The per-run token and Origin checks come with the telemetry/admin issue.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { adminOperations, type OperationName, type OperationOutput } from '../../../shared/api.js';
import { serveStatic } from './static-files.js';

export type AdminHandlers = { [Name in OperationName]: () => OperationOutput<Name> | Promise<OperationOutput<Name>> };

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

export function createAdminServer(handlers: AdminHandlers, rendererRoot: string): http.Server {
  const routes = new Map<string, OperationName>();
  for (const name of Object.keys(adminOperations) as OperationName[]) {
    const op = adminOperations[name];
    routes.set(`${op.method} ${op.path}`, name);
  }
  return http.createServer((req, res) => {
    handle(req, res, routes, handlers, rendererRoot).catch((error: unknown) => {
      sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  routes: Map<string, OperationName>,
  handlers: AdminHandlers,
  rendererRoot: string,
): Promise<void> {
  if (!LOOPBACK_HOST.test(req.headers.host ?? '')) {
    sendJson(res, 403, { error: 'the admin API answers only loopback Host names' });
    return;
  }
  const pathname = (req.url ?? '/').split('?')[0] ?? '/';
  if (pathname.startsWith('/api/')) {
    const name = routes.get(`${req.method} ${pathname}`);
    if (!name) {
      sendJson(res, 404, { error: `no admin operation ${req.method} ${pathname}` });
      return;
    }
    sendJson(res, 200, await handlers[name]());
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, 405, { error: `${req.method} is not allowed here` });
    return;
  }
  await serveStatic(rendererRoot, req, res);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.destroy();
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
