/**
 * The push stream carries each request as the telemetry recorded it, judged by meshdesk.yaml's
 * failure rule: with `failureStatuses: [404]` a live 404 arrives with `failed: true` and a 500 with
 * `failed: false`, exactly as the log's history shows them. Real Mesh, real config file, a real
 * upstream, real requests through the proxy, and the push stream read over HTTP and parsed with
 * the contract's schema as the dashboard and the CLI parse it.
 * Run: npx vitest run main/mesh/admin/push-stream-failed.test.ts
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PATHS } from '../../../shared/api.js';
import type { RequestEvent } from '../../../shared/events.js';
import { parsePushBatch } from '../../../shared/push.js';
import { listenUpstream } from '../testing/http-upstream.js';
import { startTestMesh } from '../testing/test-mesh.js';

const TOKEN = 'push-stream-failed-token';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Answers `/status/<code>` with that code. */
const byPath: http.RequestListener = (req, res) => res.writeHead(Number(/^\/status\/(\d{3})$/.exec(req.url ?? '')?.[1] ?? 200)).end();

async function startMesh(yaml: string) {
  const { mesh, addresses } = await startTestMesh({ yaml, adminToken: TOKEN, cleanups });
  return { mesh, ...addresses };
}

function get(proxyPort: number, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxyPort, path: target, headers: { host: 'world' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads the push stream until `wanted` request events have arrived; returns them by path. */
async function pushedRequests(adminUrl: string, wanted: number, connected: () => void): Promise<Map<string, RequestEvent>> {
  const abort = new AbortController();
  cleanups.push(() => abort.abort());
  const response = await fetch(new URL(ADMIN_PATHS.events, adminUrl), { headers: { authorization: `Bearer ${TOKEN}` }, signal: abort.signal });
  expect(response.status).toBe(200);
  const events = new Map<string, RequestEvent>();
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
      buffer = buffer.slice(end + 2);
      if (!data) continue;
      const batch = parsePushBatch(data);
      // The first batch is the current state: the stream is open, requests may go.
      if (batch.seq === 1) connected();
      for (const item of batch.items) if (item.kind === 'request') events.set(item.event.path, item.event);
      // Leaving the loop cancels the response body.
      if (events.size >= wanted) return events;
    }
  }
  throw new Error(`the push stream ended after ${events.size} request events`);
}

describe('the push stream with failureStatuses from meshdesk.yaml', () => {
  it('pushes a 404 as failed and a 500 as not, as the log has them', async () => {
    const upstreamPort = await listenUpstream(byPath, cleanups);
    const { mesh, proxyPort, adminUrl } = await startMesh(
      `telemetry:\n  failureStatuses: [404]\nservices:\n  world:\n    instances: [127.0.0.1:${upstreamPort}]\n    retries: { attempts: 0 }\n`,
    );
    let connected!: () => void;
    const open = new Promise<void>((resolve) => (connected = resolve));
    const pushed = pushedRequests(adminUrl, 3, connected);
    await open;
    expect([await get(proxyPort, '/status/404'), await get(proxyPort, '/status/500'), await get(proxyPort, '/status/200')]).toEqual([404, 500, 200]);

    const live = await pushed;
    expect(live.get('/status/404')).toMatchObject({ status: 404, failed: true, retries: 0 });
    expect(live.get('/status/500')).toMatchObject({ status: 500, failed: false, retries: 0 });
    expect(live.get('/status/200')).toMatchObject({ status: 200, failed: false });
    // Live rows and history agree: the same verdict for the same exchange.
    const history = new Map(mesh.telemetry.query().exchanges.map((exchange) => [exchange.path, exchange.failed]));
    expect(history).toEqual(new Map([...live].map(([path, event]) => [path, event.failed])));
  });
});
