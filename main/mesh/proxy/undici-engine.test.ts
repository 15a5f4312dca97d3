import { createRequire } from 'node:module';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, Pool } from './undici-engine.js';

const require = createRequire(import.meta.url);

describe('undici engine (Pool and Agent without the rest of undici)', () => {
  let server: http.Server;
  let origin: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => res.end(`${req.method} ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loads without undici’s index', () => {
    expect(Object.keys(require.cache).some((file) => file.endsWith('/undici/index.js'))).toBe(false);
  });

  it('requests through a Pool and an Agent against a real server', async () => {
    const pool = new Pool(origin);
    const agent = new Agent();
    try {
      const viaPool = await pool.request({ path: '/pool?x=1', method: 'GET' });
      expect(await viaPool.body.text()).toBe('GET /pool?x=1');
      const viaAgent = await agent.request({ origin, path: '/agent', method: 'POST', body: 'x' });
      expect(viaAgent.statusCode).toBe(200);
      expect(await viaAgent.body.text()).toBe('POST /agent');
    } finally {
      await pool.close();
      await agent.close();
    }
  });

  it('are the very classes undici’s index exports', async () => {
    const undici = await import('undici');
    expect(Pool).toBe(undici.Pool);
    expect(Agent).toBe(undici.Agent);
  });
});
