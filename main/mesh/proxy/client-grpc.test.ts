/**
 * A real gRPC client of another language, grpcio (Debian's python3-grpcio, run by Debian's
 * /usr/bin/python3), with http_proxy set, as a Python service calling a gRPC one would run: it
 * sends `CONNECT greeter:50051`, then HTTP/2 with one call per stream. Each call must be served,
 * routed on its own (a reroute reaches the next call on the same channel) and logged with its
 * gRPC status. The server is grpc-js (h2/testing/greeter.ts); messages are encoded by hand, as the
 * test has no generated Python code: HelloRequest{name} is 0x0a, a length, the name.
 * Run: npx vitest run main/mesh/proxy/client-grpc.test.ts
 */
import { describe, expect, it } from 'vitest';
import type { Route as RouteRule } from '../../../shared/routes.js';
import { startGreeter } from './h2/testing/greeter.js';
import { run, startProxy } from './testing/harness.js';

const PYTHON = '/usr/bin/python3';

const CLIENT = `
import sys, grpc
channel = grpc.insecure_channel('greeter:50051')
say = channel.unary_unary('/helloworld.Greeter/SayHello')
replies = channel.unary_stream('/helloworld.Greeter/LotsOfReplies')
def hello(name, count=0):
    data = name.encode()
    return b'\\x0a' + bytes([len(data)]) + data + (b'\\x10' + bytes([count]) if count else b'')
def text(reply):
    return reply[2:2 + reply[1]].decode()
for line in sys.stdin:
    command, name = line.split()
    try:
        if command == 'say':
            print(text(say(hello(name), timeout=10)), flush=True)
        elif command == 'stream':
            print('|'.join(text(reply) for reply in replies(hello(name, 3), timeout=10)), flush=True)
        elif command == 'fail':
            say(hello('fail:' + name), timeout=10)
    except grpc.RpcError as error:
        print(error.code().name, error.details(), sep='|', flush=True)
`;

describe('grpcio through the mesh', () => {
  it('has each call on its channel routed, answered and logged, and a reroute reaches the next call', async () => {
    const v1 = await startGreeter('v1');
    const v2 = await startGreeter('v2');
    const rules = new Map<string, RouteRule>();
    const harness = await startProxy({ routes: { get: (service) => rules.get(service) } });
    harness.register({ greeter: { v1: [v1.address], v2: [v2.address] } });
    // One process, one channel: the commands before and after the reroute go down the same connection.
    const input = ['say ann', 'stream bob', 'fail 7:not-yours', 'reroute', 'say cid', 'say dee'];
    const before = input.slice(0, input.indexOf('reroute')).join('\n');
    const after = input.slice(input.indexOf('reroute') + 1).join('\n');
    const script = `${CLIENT}\n`;
    const first = run(PYTHON, ['-c', script], { http_proxy: harness.url, grpc_proxy: harness.url, PYTHONUNBUFFERED: '1' }, 30_000, {
      stdin: async (write) => {
        write(`${before}\n`);
        await harness.nextEvent((e) => e.grpc?.status === 7);
        rules.set('greeter', { weights: { v2: 100 }, headerRules: [] });
        write(`${after}\n`);
      },
    });
    const result = await first;
    if (/No module named 'grpc'/.test(result.stderr)) throw new Error(`grpcio is missing: apt-get install python3-grpcio (${result.stderr.trim()})`);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      'hello ann from v1',
      '0 bob from v1|1 bob from v1|2 bob from v1',
      'PERMISSION_DENIED|not-yours',
      'hello cid from v2',
      'hello dee from v2',
    ]);
    const calls = harness.events.filter((event) => event.protocol === 'h2');
    expect(calls.map((event) => [event.path, event.version, event.grpc?.status])).toEqual([
      ['/helloworld.Greeter/SayHello', 'v1', 0],
      ['/helloworld.Greeter/LotsOfReplies', 'v1', 0],
      ['/helloworld.Greeter/SayHello', 'v1', 7],
      ['/helloworld.Greeter/SayHello', 'v2', 0],
      ['/helloworld.Greeter/SayHello', 'v2', 0],
    ]);
    expect(calls.every((event) => event.flags?.includes('tunnelled'))).toBe(true);
  });
});
