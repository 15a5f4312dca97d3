/**
 * The admin server (default 127.0.0.1:9990): the admin contract of shared/api.ts as JSON over HTTP,
 * the push stream, /metrics, a liveness probe, the login exchange, and the built dashboard. Who may
 * call it is decided in admin-auth.ts; every input is validated with the contract's schema before a
 * handler sees it, and every failure is JSON with a message.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import http from '../node-http.js';
import { ADMIN_PATHS, adminOperations, type OperationParsedInput, type OperationName, type OperationOutput } from '../../../shared/api.js';
import { PUSH_REQUESTS_PARAM, pushRequestsScopeSchema, type PushItem } from '../../../shared/push.js';
import { MeshError } from '../mesh-error.js';
import { METRICS_CONTENT_TYPE } from '../telemetry/metrics.js';
import type { AdminAuth } from './admin-auth.js';
import type { PushStream } from './push-stream.js';
import { readJsonBody, RequestBodyError } from './read-json-body.js';
import { serveStatic } from './static-files.js';

export type AdminHandlers = {
  [Name in OperationName]: (input: OperationParsedInput<Name>) => OperationOutput<Name> | Promise<OperationOutput<Name>>;
};

/** Invalid input for an operation, found at the boundary. */
class AdminInputError extends MeshError {}

export interface AdminServerOptions {
  handlers: AdminHandlers;
  auth: AdminAuth;
  push: PushStream;
  /** The state a new push-stream client receives first. */
  pushSnapshot: () => PushItem[];
  metricsText: () => Promise<string> | string;
  rendererRoot: string;
}

export function createAdminServer(options: AdminServerOptions): Server {
  const routes = new Map<string, OperationName>();
  for (const name of Object.keys(adminOperations) as OperationName[]) {
    const op = adminOperations[name];
    routes.set(`${op.method} ${op.path}`, name);
  }
  return http.createServer((req, res) => {
    handle(req, res, routes, options).catch((error: unknown) => {
      if (error instanceof MeshError) sendJson(res, error.status, { error: error.message });
      else if (error instanceof RequestBodyError) sendJson(res, error.status, { error: error.message });
      else sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, routes: Map<string, OperationName>, options: AdminServerOptions): Promise<void> {
  const denied = options.auth.checkRequestOrigin(req);
  if (denied) return sendJson(res, denied.status, { error: denied.error });
  const url = new URL(req.url ?? '/', 'http://admin');
  const pathname = url.pathname;

  if (pathname === ADMIN_PATHS.liveness) return sendJson(res, 200, { ok: true });
  if (pathname === ADMIN_PATHS.metrics) {
    const text = await options.metricsText();
    res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' });
    res.end(text);
    return;
  }
  if (pathname === ADMIN_PATHS.login) return login(req, res, url, options.auth);

  if (pathname.startsWith('/api/')) {
    const unauthorised = options.auth.checkToken(req);
    if (unauthorised) return sendJson(res, unauthorised.status, { error: unauthorised.error });
    if (pathname === ADMIN_PATHS.events && req.method === 'GET')
      return options.push.attach(res, options.pushSnapshot(), {
        requests: pushRequestsScopeSchema.catch('full').parse(url.searchParams.get(PUSH_REQUESTS_PARAM) ?? 'full'),
      });
    const name = routes.get(`${req.method} ${pathname}`);
    if (!name) return sendJson(res, 404, { error: `no admin operation ${req.method} ${pathname}` });
    return sendJson(res, 200, await invoke(name, req, url, options.handlers));
  }

  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: `${req.method} is not allowed here` });
  await serveStatic(options.rendererRoot, req, res);
}

async function invoke<Name extends OperationName>(name: Name, req: IncomingMessage, url: URL, handlers: AdminHandlers): Promise<unknown> {
  const op = adminOperations[name];
  const raw = op.method === 'GET' ? Object.fromEntries(url.searchParams) : await readJsonBody(req);
  const parsed = op.input.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
    throw new AdminInputError(400, `invalid input for ${name}: ${detail}`);
  }
  const handler = handlers[name] as (input: OperationParsedInput<Name>) => unknown;
  return handler(parsed.data as OperationParsedInput<Name>);
}

function login(req: IncomingMessage, res: ServerResponse, url: URL, auth: AdminAuth): void {
  const code = url.searchParams.get('code') ?? '';
  if (req.method !== 'GET' || !auth.redeemLoginCode(code)) {
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('This login link is not valid (each link works once). Run `meshdesk open` for a new one.\n');
    return;
  }
  res.writeHead(303, { location: '/', 'set-cookie': auth.sessionCookie(), 'cache-control': 'no-store' });
  res.end();
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.destroy();
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}
