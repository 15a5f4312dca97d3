// The admin server on a real socket: every contract operation answered, the security checks
// (token, Origin, Host), the one-time login, the push stream's batching, and the static files
// staying inside the dashboard folder.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adminOperations, type OperationName } from '../../../shared/api.js';
import type { PushBatch } from '../../../shared/push.js';
import { AdminAuth } from './admin-auth.js';
import { createAdminServer, type AdminHandlers } from './admin-server.js';
import { PushStream } from './push-stream.js';

const TOKEN = 'test-token-0123456789';

// The transport is under test here, not the mesh: every operation answers a fixed value. The
// contract drift test against a real Mesh is in mesh-admin.test.ts.
const handlers = {
  ...Object.fromEntries(Object.keys(adminOperations).map((name) => [name, () => ({ answered: name })])),
  getInfo: () => ({ version: '0.0.0' }),
  createLoginUrl: () => ({ url: 'http://127.0.0.1:2/login?code=x' }),
} as unknown as AdminHandlers;

let server: Server | null = null;
let push: PushStream | null = null;
afterEach(async () => {
  push?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

async function start(): Promise<{ port: number; auth: AdminAuth; push: PushStream }> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-renderer-'));
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), '<title>dashboard</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(path.dirname(root), 'secret.txt'), 'do not serve');
  let port = 0;
  const auth = new AdminAuth(TOKEN, () => [`http://127.0.0.1:${port}`]);
  push = new PushStream();
  server = createAdminServer({
    handlers,
    auth,
    push,
    pushSnapshot: () => [{ kind: 'services', services: [] }],
    metricsText: () => '# HELP test\n',
    rendererRoot: root,
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  return { port, auth, push };
}

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A raw request, so the test controls every header and the path exactly. */
function send(port: number, pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { host: `127.0.0.1:${port}`, ...options.headers };
    const req = request({ host: '127.0.0.1', port, path: pathname, method: options.method ?? 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const bearer = { authorization: `Bearer ${TOKEN}` };

describe('admin server', () => {
  it('routes every operation of the contract to its handler', async () => {
    const { port } = await start();
    for (const name of Object.keys(adminOperations) as OperationName[]) {
      if (name === 'getInfo' || name === 'createLoginUrl') continue;
      const op = adminOperations[name];
      if (op.input.safeParse({}).success === false) continue; // needs input; covered with real input in mesh-admin.test.ts
      const answer = await send(port, op.path, { method: op.method, headers: bearer });
      expect(answer.status, `${name} ${op.method} ${op.path}: ${answer.body}`).toBe(200);
      expect(JSON.parse(answer.body), name).toEqual({ answered: name });
    }
  });

  it('requires the token on the API, but not for liveness, metrics or the dashboard files', async () => {
    const { port } = await start();
    const missing = await send(port, '/api/info');
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body).error).toContain('missing admin token');
    expect((await send(port, '/api/info', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await send(port, '/api/events')).status).toBe(401);
    expect((await send(port, '/api/info', { headers: { cookie: `meshdesk_session=${TOKEN}` } })).status).toBe(200);
    expect(await send(port, '/healthz')).toMatchObject({ status: 200, body: '{"ok":true}' });
    expect(await send(port, '/metrics')).toMatchObject({ status: 200, body: '# HELP test\n' });
    expect((await send(port, '/')).status).toBe(200);
  });

  it('refuses foreign Origins and non-loopback Host names even with the token', async () => {
    const { port } = await start();
    const foreign = await send(port, '/api/info', { headers: { ...bearer, origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toEqual({ error: 'requests from origin http://evil.example are not allowed' });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect((await send(port, '/api/info', { headers: { ...bearer, origin: `http://127.0.0.1:${port}` } })).status).toBe(200);
    for (const host of ['evil.example', 'evil.example:9990', '127.0.0.1.evil.example']) {
      const answer = await send(port, '/api/info', { headers: { ...bearer, host } });
      expect(answer.status, host).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({ error: 'the admin API answers only loopback Host names' });
    }
    for (const host of ['localhost', `localhost:${port}`, '127.0.0.1', '[::1]:9990']) {
      expect((await send(port, '/api/info', { headers: { ...bearer, host } })).status, host).toBe(200);
    }
  });

  it('trades a one-time login code for an HttpOnly SameSite=Strict session cookie, once', async () => {
    const { port, auth } = await start();
    const code = auth.newLoginCode();
    const first = await send(port, `/login?code=${code}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    expect(first.headers['set-cookie']).toEqual([`meshdesk_session=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`]);
    const replay = await send(port, `/login?code=${code}`);
    expect(replay.status).toBe(403);
    expect(replay.headers['set-cookie']).toBeUndefined();
    expect((await send(port, '/login?code=guess')).status).toBe(403);
  });

  it('validates input and answers bad requests with JSON errors', async () => {
    const { port } = await start();
    const notJson = await send(port, '/api/login-url', { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toEqual({ error: 'request body is not valid JSON' });
    const extra = await send(port, '/api/login-url', { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: '{"x":1}' });
    expect(extra.status).toBe(400);
    expect(JSON.parse(extra.body).error).toContain('invalid input for createLoginUrl');
    const form = await send(port, '/api/login-url', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    const huge = await send(port, '/api/login-url', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: `"${'x'.repeat(1_100_000)}"`,
    });
    expect(huge.status).toBe(413);
    const unknown = await send(port, '/api/nope', { headers: bearer });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toEqual({ error: 'no admin operation GET /api/nope' });
    expect((await send(port, '/', { method: 'POST' })).status).toBe(405);
  });

  it('pushes the current state at once, then batches items at most every 100 ms', async () => {
    const { port, push } = await start();
    const batches: PushBatch[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/events', headers: bearer }, (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        let buffer = '';
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = /^data: (.*)$/m.exec(message)?.[1];
            if (data) batches.push(JSON.parse(data) as PushBatch);
            if (batches.length === 2) {
              req.destroy();
              resolve();
            }
          }
        });
      });
      req.on('error', (error) => (batches.length === 2 ? resolve() : reject(error)));
      req.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let id = 1; id <= 300; id++) push.publish({ kind: 'services', services: [{ name: `s${id}`, versions: [] }] });
    await done;
    expect(batches[0]).toEqual({ seq: 1, items: [{ kind: 'services', services: [] }], dropped: 0 });
    // 300 publications of the same state within one interval arrive as one item: the latest.
    expect(batches[1]?.seq).toBe(2);
    expect(batches[1]?.items).toEqual([{ kind: 'services', services: [{ name: 's300', versions: [] }] }]);
  });

  it('serves the dashboard, falls back to index.html, and never leaves its folder', async () => {
    const { port } = await start();
    const script = await send(port, '/assets/app.js');
    expect(script).toMatchObject({ status: 200, body: 'console.log(1)' });
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(await send(port, '/services/world')).toMatchObject({ status: 200, body: '<title>dashboard</title>' });
    for (const escape of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%E0%A4%A']) {
      const answer = await send(port, escape);
      expect(answer.body, escape).not.toContain('do not serve');
      expect(answer.status, escape).toBeLessThan(500);
    }
  });
});
