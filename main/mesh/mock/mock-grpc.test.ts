// A gRPC unary call recorded through the real mesh and replayed by `greeter@recorded` with the
// greeter's process gone: grpcio (Debian's python3-grpcio, through http_proxy: CONNECT, then HTTP/2)
// and grpc-js (HTTP/2 with prior knowledge on the proxy port) get the recorded reply and status; an
// unrecorded call ends with UNIMPLEMENTED naming what was asked.
// Run: npx vitest run main/mesh/mock/mock-grpc.test.ts
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../../shared/admin-client.js';
import { clientAtProxyPort, sayHello, startGreeter } from '../proxy/h2/testing/greeter.js';
import { run } from '../proxy/testing/harness.js';
import { startTestMesh } from '../testing/test-mesh.js';

const PYTHON = '/usr/bin/python3';

const CLIENT = `
import sys, grpc
channel = grpc.insecure_channel('greeter:50051')
say = channel.unary_unary('/helloworld.Greeter/SayHello')
def hello(name):
    data = name.encode()
    return b'\\x0a' + bytes([len(data)]) + data
for name in sys.argv[1:]:
    try:
        reply = say(hello(name), timeout=10)
        print(reply[2:2 + reply[1]].decode(), flush=True)
    except grpc.RpcError as error:
        print(error.code().name, error.details(), sep='|', flush=True)
`;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function grpcio(proxyUrl: string, ...names: string[]) {
  return run(PYTHON, ['-c', CLIENT, ...names], { http_proxy: proxyUrl, grpc_proxy: proxyUrl, PYTHONUNBUFFERED: '1' }, 30_000);
}

describe('record-to-mock for gRPC', () => {
  it('replays a recorded unary call with the service stopped, and refuses an unrecorded one with UNIMPLEMENTED', async () => {
    const greeter = await startGreeter('v1');
    const yaml = `services:\n  greeter:\n    versions:\n      v1: { instances: [${greeter.address}] }\n`;
    const { addresses } = await startTestMesh({ yaml, adminToken: 'secret', cleanups });
    const client = new AdminClient(addresses.adminUrl, 'secret');

    const live = await grpcio(addresses.proxyUrl, 'ann');
    if (/No module named 'grpc'/.test(live.stderr)) throw new Error(`grpcio is missing: apt-get install python3-grpcio (${live.stderr.trim()})`);
    expect(live.stdout.trim()).toBe('hello ann from v1');
    expect(await sayHello(clientAtProxyPort(addresses.proxyPort), 'bob')).toEqual({ message: 'hello bob from v1' });
    await expect.poll(async () => (await client.call('queryLog', { service: 'greeter' })).exchanges.length).toBe(2);

    expect(await client.call('recordMock', { service: 'greeter' })).toMatchObject({ entries: 2 });
    greeter.kill();
    await client.call('serveMock', { service: 'greeter' });
    await client.call('reroute', { service: 'greeter', version: 'recorded', origin: 'api' });

    const replayed = await grpcio(addresses.proxyUrl, 'ann', 'zed');
    expect(replayed.code).toBe(0);
    const [hit, miss] = replayed.stdout.trim().split('\n');
    expect(hit).toBe('hello ann from v1');
    expect(miss).toMatch(
      /^UNIMPLEMENTED\|meshdesk mock greeter@recorded: nothing recorded matches POST \/helloworld\.Greeter\/SayHello \(body sha256 [0-9a-f]{12}\)$/,
    );
    expect(await sayHello(clientAtProxyPort(addresses.proxyPort), 'bob')).toEqual({ message: 'hello bob from v1' });

    await expect.poll(async () => (await client.call('listMocks'))[0]).toMatchObject({ hits: 2, misses: 1 });
    await expect.poll(async () => (await client.call('queryLog', { service: 'greeter', version: 'recorded' })).exchanges.length).toBe(3);
    const calls = (await client.call('queryLog', { service: 'greeter', version: 'recorded' })).exchanges;
    expect(calls.map((call) => call.grpc?.status).sort()).toEqual([0, 0, 12]);
  });
});
