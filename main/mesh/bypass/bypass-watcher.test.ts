// Live bypass detection with real processes: a real Mesh (in this process) with `world` served by a
// child process, and real clients that go around the proxy: Node's fetch without NODE_USE_ENV_PROXY
// calling 127.0.0.1:PORT, Python's requests with NO_PROXY=world, Java's HttpClient with no proxy
// properties. Each must be named through the admin API within 3 s of its first answer, with the
// fix for its runtime; the mesh's own upstream connections and health checks must never be.
// Java is needed (the CI script installs it); a missing one fails with what to install.
// Run: npx vitest run main/mesh/bypass/bypass-watcher.test.ts
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../../shared/admin-client.js';
import type { Bypass } from '../../../shared/bypass.js';
import { parsePushBatch } from '../../../shared/push.js';
import { startChildService } from '../os/testing/child-service.js';
import { needClient } from '../proxy/testing/real-client.js';
import { startTestMesh } from '../testing/test-mesh.js';
import { BypassWatcher } from './bypass-watcher.js';
import { watchedInstances } from './bypass-wiring.js';
import { JAVA_CLIENT, NODE_FETCH_LOOP, PYTHON_REQUESTS_LOOP, startLoopClient } from './testing/bypass-clients.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const DETECTED_WITHIN_MS = 3_000;

/** A mesh whose `world` is a child process on its own port; `extra` is more meshdesk.yaml for `world`. */
async function meshWithWorld(extra = '') {
  const world = await startChildService(true);
  cleanups.push(() => world.stop());
  const yaml = `services:\n  world:\n    instances: [127.0.0.1:${world.port}]\n${extra}`;
  const { mesh, addresses } = await startTestMesh({ yaml, adminToken: 'secret', cleanups });
  return { mesh, addresses, worldPort: world.port as number, client: new AdminClient(addresses.adminUrl, 'secret') };
}

/** Polls the admin API until the bypass of process `pid` is listed; returns it and how long that took from `since`. */
async function bypassOf(client: AdminClient, pid: number, since: number): Promise<{ bypass: Bypass; ms: number }> {
  for (;;) {
    const found = (await client.call('listBypasses')).find((bypass) => bypass.pid === pid);
    if (found) return { bypass: found, ms: performance.now() - since };
    if (performance.now() - since > 10_000) throw new Error(`no bypass of pid ${pid} after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('bypass detection with real clients', () => {
  it("names Node's fetch without NODE_USE_ENV_PROXY calling 127.0.0.1:PORT, and the push stream announces it", async () => {
    const { addresses, worldPort, client } = await meshWithWorld();
    const announced = firstPushedBypasses(client, 'secret');
    const node = await startLoopClient(
      process.execPath,
      ['-e', NODE_FETCH_LOOP, `http://127.0.0.1:${worldPort}/n`],
      { http_proxy: addresses.proxyUrl },
      cleanups,
    );

    const { bypass, ms } = await bypassOf(client, node.pid, node.answeredAt);

    expect(ms).toBeLessThan(DETECTED_WITHIN_MS);
    expect(bypass).toMatchObject({
      caller: `node pid ${node.pid}`,
      callerService: null,
      command: 'node',
      runtime: 'node',
      service: 'world',
      version: 'default',
      instances: [`127.0.0.1:${worldPort}`],
      reason: "likely: Node's fetch ignores http_proxy without NODE_USE_ENV_PROXY=1",
    });
    expect(bypass.fix).toBe(
      `start it with NODE_USE_ENV_PROXY=1 and http_proxy=${addresses.proxyUrl} (eval "$(meshdesk env)"), and call http://world/ rather than http://127.0.0.1:${worldPort}/`,
    );
    expect(bypass.open).toBeGreaterThanOrEqual(1);
    expect((await announced).map((pushed) => pushed.pid)).toContain(node.pid);
  }, 30_000);

  it('names Python requests with NO_PROXY=world and http_proxy set: NO_PROXY is the reason', async () => {
    await needClient('/usr/bin/python3', ['-c', 'import requests'], 'Python requests is missing: install the Debian package python3-requests');
    const { addresses, worldPort, client } = await meshWithWorld();
    const python = await startLoopClient(
      '/usr/bin/python3',
      ['-c', PYTHON_REQUESTS_LOOP, `http://world:${worldPort}/p`],
      { http_proxy: addresses.proxyUrl, HTTP_PROXY: addresses.proxyUrl, NO_PROXY: 'world' },
      cleanups,
    );

    const { bypass, ms } = await bypassOf(client, python.pid, python.answeredAt);

    expect(ms).toBeLessThan(DETECTED_WITHIN_MS);
    expect(bypass).toMatchObject({ runtime: 'python', service: 'world', caller: `${bypass.command} pid ${python.pid}` });
    expect(bypass.command).toMatch(/^python3/);
    expect(bypass.reason).toBe('likely: its NO_PROXY contains world, so calls to http://world/ skip the proxy');
    expect(bypass.fix).toBe('remove world from NO_PROXY and no_proxy (keep localhost,127.0.0.1,::1) and restart it');
  }, 30_000);

  it("names Java's HttpClient without proxy properties: -Dhttp.proxyHost/-Dhttp.proxyPort is the fix", async () => {
    await needClient('java', ['-version'], 'Java is missing: install the Debian package openjdk-17-jdk-headless');
    const { addresses, worldPort, client } = await meshWithWorld();
    const java = await startLoopClient('java', [JAVA_CLIENT, `http://127.0.0.1:${worldPort}/j`], {}, cleanups, 30_000);

    const { bypass, ms } = await bypassOf(client, java.pid, java.answeredAt);

    expect(ms).toBeLessThan(DETECTED_WITHIN_MS);
    expect(bypass).toMatchObject({ runtime: 'java', command: 'java', service: 'world' });
    expect(bypass.reason).toBe('likely: Java ignores http_proxy and this JVM has no -Dhttp.proxyHost/-Dhttp.proxyPort');
    const { port } = new URL(addresses.proxyUrl);
    expect(bypass.fix).toBe(
      `start it with JAVA_TOOL_OPTIONS='-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=${port}', and call http://world/ rather than http://127.0.0.1:${worldPort}/`,
    );
  }, 40_000);

  it('names a registered service calling another one straight by its service name', async () => {
    const { mesh, worldPort, client } = await meshWithWorld();
    const hello = await startChildService(true);
    cleanups.push(() => hello.stop());
    mesh.register({ service: 'hello', version: 'v1', address: `127.0.0.1:${hello.port}`, origin: 'CLI' });
    await hello.send(`hold ${worldPort} 2`);
    const since = performance.now();

    const { bypass, ms } = await bypassOf(client, hello.pid, since);

    expect(ms).toBeLessThan(DETECTED_WITHIN_MS);
    expect(bypass).toMatchObject({ caller: 'hello', callerService: 'hello', service: 'world', open: 2, connections: 2 });
  }, 30_000);
});

describe('no false bypass', () => {
  it("reports none for the mesh's own upstream connections and health checks while traffic flows through the proxy", async () => {
    const { mesh, addresses, client } = await meshWithWorld('    healthCheck: { type: http, path: /, interval: 100ms }\n');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    cleanups.push(() => agent.destroy());
    // A control watcher that does not know the mesh's pid: it must see the mesh's connections, so
    // the traffic below really did put candidates in the table for the mesh's watcher to leave out.
    const control = new BypassWatcher({ instances: () => watchedInstances(mesh.registry), proxyUrl: () => addresses.proxyUrl, selfPid: -1 });
    const { port } = new URL(addresses.proxyUrl);
    const until = performance.now() + 3_000;
    let answered = 0;
    while (performance.now() < until) {
      const bodies = await Promise.all(Array.from({ length: 4 }, () => viaProxy(agent, Number(port), '/through')));
      answered += bodies.filter((body) => body === 'child').length;
      await control.poll();
    }

    expect(control.list().map((bypass) => bypass.pid)).toContain(process.pid);
    expect(answered).toBeGreaterThan(20);
    expect(mesh.registry.list()[0]?.versions[0]?.instances[0]?.health, 'the health check ran').toBe('healthy');
    expect(await client.call('listBypasses')).toEqual([]);
  }, 30_000);
});

function viaProxy(agent: http.Agent, proxyPort: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: proxyPort, path: `http://world${path}`, agent }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/** The first `bypasses` push item that lists anything, read from the admin push stream. */
async function firstPushedBypasses(client: AdminClient, token: string): Promise<Bypass[]> {
  const controller = new AbortController();
  cleanups.push(() => controller.abort());
  const response = await fetch(client.eventsUrl(), { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const message = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = /^data: (.*)$/m.exec(message)?.[1];
      if (!data) continue;
      for (const item of parsePushBatch(data).items) {
        // The stream is cut by the cleanups: aborting inside the loop would throw here.
        if (item.kind === 'bypasses' && item.bypasses.length > 0) return item.bypasses;
      }
    }
  }
  throw new Error('the push stream ended without a bypass');
}
