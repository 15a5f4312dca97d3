// "Load the demo" in a running mesh, for real: the demo services start as child processes, are
// registered from the `demo` source, answer through the proxy (hello calls world through it), and
// are gone again after unload. Needs the built demo (`npm run build`, as `npm test` does). Run with
// `npx vitest run main/mesh/demo/demo-loader.test.ts`.
import { ProxyAgent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../../shared/admin-client.js';
import { startTestMesh } from '../testing/test-mesh.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startMesh(yaml: string | null = null): Promise<{ client: AdminClient; proxyUrl: string; log: string[] }> {
  const log: string[] = [];
  const { addresses } = await startTestMesh({ yaml, adminToken: 'secret', log: (line) => log.push(line), cleanups });
  return { client: new AdminClient(addresses.adminUrl, 'secret'), proxyUrl: addresses.proxyUrl, log };
}

async function viaProxy(proxyUrl: string, url: string): Promise<{ status: number; body: string }> {
  const agent = new ProxyAgent(proxyUrl);
  try {
    const answer = await request(url, { dispatcher: agent });
    return { status: answer.statusCode, body: await answer.body.text() };
  } finally {
    await agent.close();
  }
}

describe('loading the demo into a running mesh', () => {
  it('starts hello and world v1/v2 with traffic, routes through them, and unloads them', async () => {
    const { client, proxyUrl, log } = await startMesh();
    const info = await client.call('loadDemo');
    expect(info.demoLoaded).toBe(true);
    const services = await client.call('listServices');
    expect(services.map((service) => service.name).sort()).toEqual(['hello', 'world']);
    const world = services.find((service) => service.name === 'world');
    expect(world?.versions.map((version) => version.name)).toEqual(['v1', 'v2']);
    expect(world?.versions.flatMap((version) => version.instances.map((instance) => instance.origin))).toEqual(['demo', 'demo']);
    // hello answers by calling world through this same mesh.
    const answer = await viaProxy(proxyUrl, 'http://hello/');
    expect(answer).toMatchObject({ status: 200 });
    expect(answer.body).toContain('world v1');
    // The traffic generator calls hello as `traffic` (its proxy user), so the graph has edges at once.
    await expect
      .poll(async () => (await client.call('queryLog', { caller: 'traffic', service: 'hello' })).exchanges.length, { timeout: 5_000 })
      .toBeGreaterThan(0);
    // A second load is the same demo, not a second one.
    await client.call('loadDemo');
    expect((await client.call('listServices')).flatMap((service) => service.versions.flatMap((version) => version.instances))).toHaveLength(3);
    const hello = services.find((service) => service.name === 'hello')?.versions[0]?.instances[0]?.address ?? '';

    const unloaded = await client.call('unloadDemo');
    expect(unloaded.demoLoaded).toBe(false);
    expect(await client.call('listServices')).toEqual([]);
    // Its processes are gone: nothing listens on hello's port any more.
    await expect(request(`http://${hello}/health`)).rejects.toThrow();
    expect(log.some((line) => line.startsWith('meshdesk: demo loaded'))).toBe(true);
    expect(log).toContain('meshdesk: demo unloaded');
  });

  it('refuses, naming the service, when the workspace already has a hello or a world', async () => {
    const { client } = await startMesh('services:\n  hello:\n    instances: [127.0.0.1:9]\n');
    await expect(client.call('loadDemo')).rejects.toThrow('the demo needs the service names hello and world, and hello is already registered here');
    expect((await client.call('getInfo')).demoLoaded).toBe(false);
    expect((await client.call('listServices')).map((service) => service.name)).toEqual(['hello']);
  });
});
