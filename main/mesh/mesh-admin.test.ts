// The admin contract against a real Mesh: every operation of shared/api.ts has a handler that
// answers real input with output its schema accepts (the sample table below is typed by the
// contract, so a new operation without a sample fails the typecheck), and commands change what
// the mesh does.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { answering, listenUpstream } from './testing/http-upstream.js';
import { startTestMesh } from './testing/test-mesh.js';
import { AdminClient } from '../../shared/admin-client.js';
import { adminOperations, type OperationInput, type OperationName } from '../../shared/api.js';
import type { Mesh } from './mesh.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const upstream = (body: string) => listenUpstream(answering(body), cleanups);

async function startMesh(): Promise<{ mesh: Mesh; client: AdminClient; proxyUrl: string; v1: number; v2: number }> {
  const v1 = await upstream('world v1');
  const v2 = await upstream('world v2');
  const yaml = `services:\n  world:\n    versions:\n      v1: { instances: [127.0.0.1:${v1}] }\n      v2: { instances: [127.0.0.1:${v2}] }\n`;
  const { mesh, addresses } = await startTestMesh({ yaml, adminToken: 'secret', cleanups });
  return { mesh, client: new AdminClient(addresses.adminUrl, 'secret'), proxyUrl: addresses.proxyUrl, v1, v2 };
}

/** A request routed by its Host header, as Linkerd-style clients send them. */
function viaHost(proxyUrl: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(proxyUrl);
    http
      .get({ host: hostname, port, path: '/', headers: { host } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

const samples: { [Name in OperationName]: OperationInput<Name> } = {
  getInfo: {},
  listServices: {},
  createLoginUrl: {},
  registerInstance: { service: 'extra', version: 'v1', address: '127.0.0.1:9', origin: 'CLI' },
  deregisterInstance: { service: 'extra', address: '127.0.0.1:9' },
  listRoutes: {},
  // Guarded, so the answer carries the guard and its schema is checked too.
  reroute: { service: 'world', version: 'v2', origin: 'api', guard: { forSeconds: 60, minRequests: 20, maxFailureRate: 1, maxP99Ratio: 2 } },
  rollback: { service: 'world' },
  exportGatewayApi: { namespace: 'dev' },
  listMocks: {},
  // Records the one exchange to <workspace>/mocks/world.har, serves it as world@recorded, stops it.
  recordMock: { service: 'world' },
  serveMock: { service: 'world' },
  stopMock: { service: 'world' },
  // Started, stopped, then its (empty) diffs read and cleared; shadow/shadowing.test.ts compares real pairs.
  listShadows: {},
  startShadow: { service: 'world', to: 'v2' },
  stopShadow: { service: 'world' },
  getDiffs: { service: 'world' },
  listDiffPairs: { service: 'world' },
  getDiffPair: { id: 1 },
  clearDiffs: { service: 'world' },
  listFaults: {},
  setFault: { service: 'world', percent: 10, abortStatus: 503 },
  clearFault: { service: 'world' },
  getStats: {},
  listBypasses: {},
  queryLog: { limit: 5 },
  getExchange: { id: 1 },
  replay: { id: 1, version: 'v2' },
  decodeGrpc: { id: 1 },
  clearLog: {},
  loadDemo: {},
  unloadDemo: {},
};

describe('the admin contract on a real mesh', () => {
  it('has a handler for every operation, answering with what its schema promises', async () => {
    const { client, proxyUrl } = await startMesh();
    // One exchange in the log, so getExchange has something to find.
    expect(await viaHost(proxyUrl, 'world')).toBe('world v1');
    // The event leaves once the OS has said who called (a few ms); then getExchange can find it.
    await expect.poll(async () => (await client.call('queryLog', {})).exchanges.length).toBe(1);
    const logged = (await client.call('queryLog', {})).exchanges[0]?.id ?? 0;
    samples.getExchange.id = logged;
    samples.replay.id = logged;
    samples.decodeGrpc.id = logged;
    for (const name of Object.keys(adminOperations) as OperationName[]) {
      const call = client.call as (name: OperationName, input: unknown) => Promise<unknown>;
      // This mesh has its own `world`, so the demo is refused (demo-loader.test.ts loads it for real).
      if (name === 'loadDemo') await expect(call.call(client, name, samples[name]), name).rejects.toThrow('world is already registered here');
      // The one exchange is plain HTTP (h2/grpc-decoding.test.ts decodes real gRPC calls).
      else if (name === 'decodeGrpc') await expect(call.call(client, name, samples[name]), name).rejects.toThrow(`exchange ${logged} is not a gRPC call`);
      // No request was copied, so there is no pair to show.
      else if (name === 'getDiffPair') await expect(call.call(client, name, samples[name]), name).rejects.toThrow('no pair 1');
      else await expect(call.call(client, name, samples[name]), name).resolves.toBeDefined();
    }
  });

  it('answers bad commands with the status and message the user needs', async () => {
    const { client } = await startMesh();
    await expect(client.call('reroute', { service: 'nope', version: 'v1', origin: 'api' })).rejects.toThrow('unknown service nope');
    await expect(client.call('reroute', { service: 'world', version: 'v9', origin: 'api' })).rejects.toThrow('service world has no version v9 (it has v1, v2)');
    await expect(client.call('rollback', { service: 'world' })).rejects.toThrow('service world has no route change to roll back');
    await expect(client.call('reroute', { service: 'world', version: 'v2', origin: 'api', guard: { minRequests: 0 } })).rejects.toThrow('minRequests');
    await expect(client.call('setFault', { service: 'nope', percent: 5, abortStatus: 500 })).rejects.toThrow('unknown service nope');
    await expect(client.call('getExchange', { id: 999_999 })).rejects.toThrow('no exchange 999999 in the log');
  });

  it("reports each service's retry budget with the stats", async () => {
    const { client, proxyUrl } = await startMesh();
    for (let i = 0; i < 5; i++) expect(await viaHost(proxyUrl, 'world')).toBe('world v1');
    const stats = await client.call('getStats');
    // Linkerd's default rule: 20% of 5 requests + 10/s over 10 s, none used.
    expect(stats.retryBudgets).toEqual([
      {
        service: 'world',
        available: 101,
        requests: 5,
        retries: 0,
        budgetPercent: 20,
        budgetMinPerSecond: 10,
        windowSeconds: 10,
        maxRetries: expect.any(Number),
      },
    ]);
  });

  it('registers an instance that real requests then reach, and reports routes per service', async () => {
    const { client, proxyUrl } = await startMesh();
    const port = await upstream('extra service');
    const services = await client.call('registerInstance', { service: 'extra', address: `127.0.0.1:${port}`, origin: 'CLI' });
    expect(services.map((service) => service.name)).toContain('extra');
    expect(await viaHost(proxyUrl, 'extra')).toBe('extra service');
    const routes = await client.call('listRoutes');
    expect(routes.find((route) => route.service === 'world')).toMatchObject({ versions: ['v1', 'v2'], route: null, effectiveWeights: { v1: 1, v2: 0 } });
  });
});

describe('replay', () => {
  it('resends a logged exchange through the mesh, to another version on request, and logs it as replay', async () => {
    const { client, proxyUrl } = await startMesh();
    expect(await viaHost(proxyUrl, 'world')).toBe('world v1');
    await expect.poll(async () => (await client.call('queryLog', {})).exchanges.length).toBe(1);
    const original = (await client.call('queryLog', {})).exchanges[0];
    const same = await client.call('replay', { id: original?.id ?? 0 });
    expect(same).toMatchObject({ status: 200, version: 'v1', body: { encoding: 'utf8', data: 'world v1' } });
    const v2 = await client.call('replay', { id: original?.id ?? 0, version: 'v2', path: '/other' });
    expect(v2).toMatchObject({ status: 200, version: 'v2', body: { data: 'world v2' } });
    await expect.poll(async () => (await client.call('queryLog', { caller: 'replay' })).exchanges.length).toBe(2);
    await expect(client.call('replay', { id: 424_242 })).rejects.toThrow('no exchange 424242 in the log');
  });
});

describe('pausing the proxy', () => {
  it('refuses connections while paused, keeps the admin API up, and resumes on the same port', async () => {
    const { mesh, client, proxyUrl } = await startMesh();
    await mesh.pauseProxy(0);
    expect(mesh.proxyListening).toBe(false);
    await expect(viaHost(proxyUrl, 'world')).rejects.toThrow(/ECONNREFUSED/);
    expect((await client.call('getInfo')).proxyUrl).toBe(proxyUrl);
    await mesh.resumeProxy();
    expect(await viaHost(proxyUrl, 'world')).toBe('world v1');
  });
});
