// The admin server on a real socket: every contract operation answered, the Host-header guard
// against DNS rebinding, and the static file server staying inside the dashboard folder.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adminOperations, type OperationName } from '../../../shared/api.js';
import { createAdminServer, type AdminHandlers } from './admin-server.js';

const handlers: AdminHandlers = {
  getInfo: () => ({
    version: '0.0.0',
    proxyUrl: 'http://127.0.0.1:1',
    adminUrl: 'http://127.0.0.1:2',
    configFile: null,
    configErrors: [],
    startedAt: new Date(0).toISOString(),
  }),
  listServices: () => [],
};

let server: Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function start(): Promise<number> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-renderer-'));
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), '<title>dashboard</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(path.dirname(root), 'secret.txt'), 'do not serve');
  server = createAdminServer(handlers, root);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A raw request, so the test controls the Host header and the path exactly. */
function get(port: number, pathname: string, host = `127.0.0.1:${port}`, method = 'GET'): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, method, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('admin server', () => {
  it('answers every operation of the shared contract with output its schema accepts', async () => {
    const port = await start();
    for (const name of Object.keys(adminOperations) as OperationName[]) {
      const op = adminOperations[name];
      const answer = await get(port, op.path, undefined, op.method);
      expect(answer.status, `${name} ${op.method} ${op.path}`).toBe(200);
      expect(op.output.safeParse(JSON.parse(answer.body)).success, name).toBe(true);
    }
  });

  it('refuses Host headers that are not loopback names (DNS rebinding)', async () => {
    const port = await start();
    for (const host of ['evil.example', 'evil.example:9990', '127.0.0.1.evil.example']) {
      const answer = await get(port, '/api/info', host);
      expect(answer.status, host).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({ error: 'the admin API answers only loopback Host names' });
    }
    for (const host of ['localhost', `localhost:${port}`, '127.0.0.1', '[::1]:9990']) {
      expect((await get(port, '/api/info', host)).status, host).toBe(200);
    }
  });

  it('answers unknown API paths with a JSON 404 and never sends CORS headers', async () => {
    const port = await start();
    const answer = await get(port, '/api/nope');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toEqual({ error: 'no admin operation GET /api/nope' });
    expect((await get(port, '/', undefined, 'POST')).status).toBe(405);
  });

  it('serves the dashboard, falls back to index.html, and never leaves its folder', async () => {
    const port = await start();
    expect(await get(port, '/assets/app.js')).toMatchObject({ status: 200, body: 'console.log(1)', type: 'text/javascript; charset=utf-8' });
    expect(await get(port, '/services/world')).toMatchObject({ status: 200, body: '<title>dashboard</title>' });
    for (const escape of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const answer = await get(port, escape);
      expect(answer.body, escape).not.toContain('do not serve');
    }
  });
});
