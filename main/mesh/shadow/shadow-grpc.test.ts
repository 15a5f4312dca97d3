// Shadow traffic for gRPC: real grpc-js servers as greeter v1 and v2, a grpc-js client speaking
// HTTP/2 to the proxy port. gRPC calls are POSTs, so a rule copies them only once it opts POST in;
// the copies go over HTTP/2 and their answers are compared, trailers (grpc-status) included.
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../../shared/admin-client.js';
import { clientAtProxyPort, sayHello, startGreeter } from '../proxy/h2/testing/greeter.js';
import { startTestMesh } from '../testing/test-mesh.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('shadow traffic for gRPC calls', () => {
  it('copies unary calls over HTTP/2 once POST is opted in, and compares the replies and the grpc-status', async () => {
    const v1 = await startGreeter('v1');
    const v2 = await startGreeter('v2');
    const yaml = `services:\n  greeter:\n    versions:\n      v1: { instances: [${v1.address}] }\n      v2: { instances: [${v2.address}] }\n`;
    const { addresses } = await startTestMesh({ yaml, adminToken: 'secret', cleanups });
    const admin = new AdminClient(addresses.adminUrl, 'secret');
    const client = clientAtProxyPort(addresses.proxyPort);

    await admin.call('startShadow', { service: 'greeter', to: 'v2' });
    expect(await sayHello(client, 'ann')).toEqual({ message: 'hello ann from v1' });
    // A POST, not opted in: not copied.
    await expect.poll(async () => (await admin.call('queryLog', { service: 'greeter' })).exchanges.length).toBe(1);
    expect(v2.calls()).toBe(0);

    await admin.call('startShadow', { service: 'greeter', to: 'v2', methods: ['POST'] });
    expect(await sayHello(client, 'ann')).toEqual({ message: 'hello ann from v1' });
    expect(await sayHello(client, 'fail:14:down for maintenance')).toMatchObject({ code: 14 });
    await expect.poll(async () => (await admin.call('getDiffs', { service: 'greeter' })).pairs, { timeout: 5_000 }).toBe(2);

    const pairs = await admin.call('listDiffPairs', { service: 'greeter' });
    // Pairs are numbered as their copies answer, in either order: told apart by the primary's grpc-status.
    const grpcStatus = (pair: (typeof pairs)[number]) => pair.primary.headers.find(([name]) => name === 'grpc-status')?.[1];
    const answered = pairs.find((pair) => grpcStatus(pair) === '0');
    const failed = pairs.find((pair) => grpcStatus(pair) === '14');
    expect(answered).toMatchObject({ pattern: '/helloworld.Greeter/SayHello', verdict: 'different' });
    // "hello ann from v1" against "from v2": the reply message's bytes differ, its status does not.
    expect(answered?.differences.map((difference) => difference.field)).not.toContain('header grpc-status');
    expect(answered?.differences.some((difference) => difference.field.startsWith('body'))).toBe(true);
    // Both versions end the failing call with UNAVAILABLE and the same message: nothing differs.
    expect(failed?.differences.filter((difference) => !difference.noisy)).toEqual([]);

    const copy = await admin.call('getExchange', { id: answered?.shadow.exchangeId ?? 0 });
    expect(copy).toMatchObject({ version: 'v2', protocol: 'h2', flags: ['shadow'], grpc: { status: 0 } });
    const [view] = await admin.call('listShadows');
    expect(view?.stats).toMatchObject({ mirrored: 2, answered: 2, dropped: 0, skipped: 0 });
  });
});
