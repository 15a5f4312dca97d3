// A Node service as a user runs one beside `meshdesk serve` (real processes, real sockets): it
// listens on its own port, registered as `hello`, and calls other services with Node 22's own
// fetch and NODE_USE_ENV_PROXY=1, which tunnels every call through `CONNECT <service>:80`. Inside
// those tunnels each request counts as itself: attributed to `hello` by the operating system,
// 503s counted as failures in `meshdesk stat`, `/metrics`, the request log and `meshdesk tap`,
// and the tunnels themselves counted nowhere.
// Run with `npx vitest run main/cli/node-service-tunnels.test.ts` (after `npm run build`).
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../shared/events.js';
import { METRIC_NAMES, readPersistedToken } from '../mesh/index.js';
import { startNodeClient } from '../mesh/proxy/testing/node-client.js';
import { parsePrometheusText } from '../mesh/telemetry/testing/prom-text.js';
import { answering, listenUpstream } from '../mesh/testing/http-upstream.js';
import { runMeshdesk, startMeshdesk, tempStateDir } from './testing/spawn-meshdesk.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a Node service calling through CONNECT tunnels', () => {
  it('is attributed per request, and 503s inside tunnels are failures in stat, /metrics, the log and tap', { timeout: 30_000 }, async () => {
    const world = await listenUpstream(answering('world'), cleanups);
    const orders = await listenUpstream((_req, res) => res.writeHead(503).end('orders is down'), cleanups);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-tunnels-'));
    const configFile = path.join(dir, 'meshdesk.yaml');
    const stateDir = tempStateDir();
    // The client needs the mesh's proxy URL and the config needs the client's port: the mesh
    // starts on a config without `hello`, which is added once the client listens (hot reload).
    writeFileSync(configFile, 'services: {}\n');
    const mesh = await startMeshdesk(['serve', '--proxy-port', '0', '--admin-port', '0', '--config', configFile], { MESHDESK_STATE_DIR: stateDir });
    cleanups.push(async () => {
      mesh.child.kill('SIGKILL');
      await mesh.exited;
    });
    const hello = await startNodeClient('fetch', mesh.proxyUrl, { listen: true });
    writeFileSync(
      configFile,
      [
        'services:',
        `  hello: { instances: [127.0.0.1:${hello.port}] }`,
        `  world: { instances: [127.0.0.1:${world}] }`,
        // Retries would make each failing call three attempts; this test counts calls.
        `  orders: { instances: [127.0.0.1:${orders}], retries: { attempts: 0 } }`,
        '',
      ].join('\n'),
    );
    const env = { MESHDESK_STATE_DIR: stateDir, MESHDESK_ADMIN_URL: mesh.adminUrl, NO_COLOR: '1' };
    await expect.poll(async () => (await runMeshdesk(['status', '--json'], env)).stdout, { timeout: 10_000 }).toContain('"hello"');

    const tapping = runMeshdesk(['tap', 'service=orders', '--max', '3', '-o', 'json'], env);
    let tapped = false;
    void tapping.finally(() => (tapped = true));
    let ordersCalls = 0;
    // tap prints what happens once it is connected: call until it has seen three.
    while (!tapped) {
      const [result] = await hello.send({ url: 'http://orders/place' });
      expect(result).toEqual({ status: 503, body: 'orders is down' });
      ordersCalls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const tapEvents = (await tapping).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RequestEvent);
    expect(tapEvents).toHaveLength(3);
    for (const event of tapEvents)
      expect(event).toMatchObject({ caller: 'hello', service: 'orders', method: 'GET', path: '/place', status: 503, flags: ['tunnelled'] });

    const worldCalls = await hello.send({ url: 'http://world/greet', count: 10 });
    expect(worldCalls.every((result) => result.status === 200 && result.body === 'world')).toBe(true);

    const stat = async () =>
      JSON.parse((await runMeshdesk(['stat', '--json'], env)).stdout) as {
        services: { service: string; stats: { totals: { requests: number; failures: number } } }[];
      };
    const totalsOf = async (service: string) => (await stat()).services.find((entry) => entry.service === service)?.stats.totals;
    // Each poll runs the CLI as a process: give it a busy machine's time.
    await expect.poll(() => totalsOf('world'), { timeout: 10_000 }).toMatchObject({ requests: 10, failures: 0 });
    expect(await totalsOf('orders')).toMatchObject({ requests: ordersCalls, failures: ordersCalls, retries: 0 });
    const statText = (await runMeshdesk(['stat', 'orders'], env)).stdout;
    expect(statText).toMatch(new RegExp(`^orders\\s+\\*\\s+0\\.00%.*\\s${ordersCalls}$`, 'm'));

    const metrics = parsePrometheusText(await (await fetch(`${mesh.adminUrl}/metrics`)).text());
    expect(metrics.sum(METRIC_NAMES.requests, { service: 'orders', caller: 'hello', classification: 'failure', status_class: '5xx' })).toBe(ordersCalls);
    expect(metrics.sum(METRIC_NAMES.requests, { service: 'world', caller: 'hello', classification: 'success' })).toBe(10);
    expect(metrics.sum(METRIC_NAMES.requests)).toBe(ordersCalls + 10);

    const token = readPersistedToken(stateDir);
    const log = await fetch(`${mesh.adminUrl}/api/log?limit=1000`, { headers: { authorization: `Bearer ${token}` } });
    const page = (await log.json()) as { exchanges: (RequestEvent & { failed: boolean })[] };
    const rows = page.exchanges.filter((entry) => entry.service === 'orders');
    expect(rows).toHaveLength(ordersCalls);
    expect(rows.every((row) => row.failed && row.caller === 'hello' && row.method === 'GET' && row.flags?.includes('tunnelled'))).toBe(true);
    // Requests, never tunnels: no CONNECT row for a service whose tunnels carried HTTP.
    expect(page.exchanges.some((entry) => entry.method === 'CONNECT')).toBe(false);
  });
});
