// Caller attribution when a workspace's services start together and call each other at once: each
// a real Python process, registered by its port, calling through the proxy with a fresh connection
// per call (urllib) the moment it listens. While they start, the machine is busy and the OS lookups
// queue; every call must still be named by its service, never `shell` (the phantom edge a user saw).
// Run with `npx vitest run main/mesh/caller-start-burst.test.ts`.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProxiedExchange } from '../../shared/events.js';
import { answering, listenUpstream } from './testing/http-upstream.js';
import { createTestMesh } from './testing/test-mesh.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SERVICES = 12;
const CALLS = 3;

/** Listens on its port, then calls at once, CALLS times, each on a new connection; prints `done`. */
const SERVICE = String.raw`
import http.server, sys, threading, urllib.request
port, proxy = int(sys.argv[1]), sys.argv[2]
server = http.server.HTTPServer(('127.0.0.1', port), http.server.BaseHTTPRequestHandler)
threading.Thread(target=server.serve_forever, daemon=True).start()
opener = urllib.request.build_opener(urllib.request.ProxyHandler({'http': proxy}))
for i in range(int(sys.argv[3])):
    opener.open('http://world/').read()
print('done', flush=True)
`;

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

describe('caller attribution while services start together', () => {
  it(`names each of ${SERVICES} services starting at once on every call, none as shell`, async () => {
    const worldPort = await listenUpstream(answering('world'), cleanups);
    const ports = await freePorts(SERVICES);
    const yaml = [
      'services:',
      `  world: { instances: [127.0.0.1:${worldPort}] }`,
      ...ports.map((port, i) => `  svc${i}: { instances: [127.0.0.1:${port}] }`),
    ].join('\n');
    const { mesh } = await createTestMesh({ yaml: `${yaml}\n`, cleanups });
    const events: ProxiedExchange[] = [];
    mesh.events.subscribe((event) => events.push(event));
    const { proxyUrl } = await mesh.start();

    const finished = ports.map((port) => {
      const child = spawn('/usr/bin/python3', ['-c', SERVICE, `${port}`, proxyUrl, `${CALLS}`], { stdio: ['ignore', 'pipe', 'inherit'] });
      cleanups.push(() => child.kill());
      return new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    });
    expect(await Promise.all(finished)).toEqual(ports.map(() => 'done'));

    await expect.poll(() => events.length, { timeout: 5_000 }).toBe(SERVICES * CALLS);
    const callsBy = new Map<string, number>();
    for (const event of events) callsBy.set(event.caller, (callsBy.get(event.caller) ?? 0) + 1);
    expect(Object.fromEntries(callsBy)).toEqual(Object.fromEntries(ports.map((_, i) => [`svc${i}`, CALLS])));
  }, 30_000);
});
