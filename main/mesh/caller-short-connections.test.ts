// Caller attribution by the OS for clients that open one connection per request and close it as
// soon as they are answered (Python's urllib, requests without a session): the socket's owner is
// gone a moment later, so the lookup starts at accept and the answer waits for it. A real Mesh, a
// real Python process that is a registered service and calls another through the proxy.
// Run with `npx vitest run main/mesh/caller-short-connections.test.ts`.
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProxiedExchange } from '../../shared/events.js';
import { createTestMesh } from './testing/test-mesh.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A Python service (it listens, so it can be registered) that calls a URL through a proxy on each stdin line, with a fresh connection each time. */
const FRONTEND = String.raw`
import http.server, sys, threading, urllib.request
server = http.server.HTTPServer(('127.0.0.1', 0), http.server.BaseHTTPRequestHandler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_address[1], flush=True)
for line in sys.stdin:
    proxy, url = line.split()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({'http': proxy}))
    print(opener.open(url).read().decode(), flush=True)
`;

describe('caller attribution for one connection per request', () => {
  it('names a registered Python service on every request though urllib closes each connection at once', async () => {
    const world = http.createServer((_req, res) => res.end('world'));
    await new Promise<void>((resolve) => world.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => world.close(resolve)));
    const frontend = spawn('python3', ['-c', FRONTEND], { stdio: ['pipe', 'pipe', 'inherit'] });
    cleanups.push(() => frontend.kill());
    const lines = createInterface({ input: frontend.stdout });
    const nextLine = () => new Promise<string>((resolve) => lines.once('line', resolve));
    const frontendPort = Number(await nextLine());

    const worldPort = (world.address() as AddressInfo).port;
    const yaml = `services:\n  world:\n    instances: [127.0.0.1:${worldPort}]\n  frontend:\n    instances: [127.0.0.1:${frontendPort}]\n`;
    const { mesh } = await createTestMesh({ yaml, cleanups });
    const events: ProxiedExchange[] = [];
    mesh.events.subscribe((event) => events.push(event));
    const { proxyUrl } = await mesh.start();

    for (let i = 0; i < 5; i++) {
      frontend.stdin.write(`${proxyUrl} http://world/call${i}\n`);
      expect(await nextLine()).toBe('world');
    }
    await expect.poll(() => events.length, { timeout: 5_000 }).toBe(5);
    expect(events.map((event) => `${event.path} ${event.caller}`)).toEqual(['/call0', '/call1', '/call2', '/call3', '/call4'].map((p) => `${p} frontend`));
  });
});
