/**
 * Health from traffic reaches every reader of the services: the push stream's first batch carries it
 * (unknown before any traffic), and once requests went through the proxy — one instance answering,
 * one refusing connections — the stream pushes the services again with `healthy` and `failing:
 * connection refused`, without any registry change to prompt it; `listServices` says the same.
 * Real Mesh, a real upstream, a port nothing listens on, the push stream read over HTTP and parsed
 * with the contract's schema as the dashboard and the CLI parse it.
 * Run: npx vitest run main/mesh/admin/push-stream-traffic-health.test.ts
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../../shared/admin-client.js';
import { ADMIN_PATHS } from '../../../shared/api.js';
import type { ServiceView, TrafficHealth } from '../../../shared/model.js';
import { parsePushBatch } from '../../../shared/push.js';
import { closedPort } from '../proxy/testing/harness.js';
import { answering, listenUpstream } from '../testing/http-upstream.js';
import { startTestMesh } from '../testing/test-mesh.js';

const TOKEN = 'push-stream-traffic-token';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function get(proxyPort: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxyPort, path: '/', headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Each instance's traffic health by service name (one instance per service here). */
function trafficOf(services: readonly ServiceView[]): Record<string, TrafficHealth | undefined> {
  return Object.fromEntries(services.map((service) => [service.name, service.versions[0]?.instances[0]?.traffic]));
}

/** Reads the push stream, handing each `services` item to `seen`, until `seen` returns true. */
async function pushedServices(adminUrl: string, seen: (services: ServiceView[], seq: number) => boolean): Promise<void> {
  const abort = new AbortController();
  cleanups.push(() => abort.abort());
  const response = await fetch(new URL(ADMIN_PATHS.events, adminUrl), { headers: { authorization: `Bearer ${TOKEN}` }, signal: abort.signal });
  expect(response.status).toBe(200);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
      buffer = buffer.slice(end + 2);
      if (!data) continue;
      const batch = parsePushBatch(data);
      for (const item of batch.items) if (item.kind === 'services' && seen(item.services, batch.seq)) return;
    }
  }
  throw new Error('the push stream ended before the services it waited for');
}

describe('health from traffic on the push stream', () => {
  it('is pushed when traffic changes it, and listed the same', { timeout: 10_000 }, async () => {
    const world = await listenUpstream(answering('world'), cleanups);
    const gone = await closedPort();
    const yaml = `services:\n  world:\n    instances: [127.0.0.1:${world}]\n  gone:\n    instances: [127.0.0.1:${gone}]\n    retries: { attempts: 0 }\n`;
    const { addresses } = await startTestMesh({ yaml, adminToken: TOKEN, cleanups });

    let first: Record<string, TrafficHealth | undefined> | null = null;
    let connected!: () => void;
    const open = new Promise<void>((resolve) => (connected = resolve));
    const changed = pushedServices(addresses.adminUrl, (services, seq) => {
      const traffic = trafficOf(services);
      if (seq === 1) {
        first = traffic;
        connected();
      }
      return traffic.world?.state === 'healthy' && traffic.gone?.state === 'failing';
    });
    await open;
    expect(first).toEqual({ world: { state: 'unknown', reason: null, lastSeen: null }, gone: { state: 'unknown', reason: null, lastSeen: null } });

    expect(await get(addresses.proxyPort, 'world')).toBe(200);
    expect(await get(addresses.proxyPort, 'gone')).toBe(502);
    await changed;

    const listed = trafficOf(await new AdminClient(addresses.adminUrl, TOKEN).call('listServices'));
    expect(listed).toEqual({
      world: { state: 'healthy', reason: null, lastSeen: expect.any(Number) },
      gone: { state: 'failing', reason: 'connection refused', lastSeen: expect.any(Number) },
    });
  });
});
