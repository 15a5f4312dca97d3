/**
 * A real gRPC client, grpcio (Debian's python3-grpcio, run by Debian's /usr/bin/python3), with
 * http_proxy set, as a gRPC service calling another would run: it sends `CONNECT greeter:50051`,
 * then HTTP/2. Until the mesh serves HTTP/2 (issue "HTTP/2 and gRPC"), the call must fail at once
 * with UNAVAILABLE and a message that says why — not hang until its deadline in silent retries.
 * Run: npx vitest run main/mesh/proxy/client-grpc.test.ts
 */
import { describe, expect, it } from 'vitest';
import { run, startProxy } from './testing/harness.js';

const PYTHON = '/usr/bin/python3';

describe('grpcio through the mesh', () => {
  it('gets UNAVAILABLE at once, with the reason, and the tunnel is logged', async () => {
    const harness = await startProxy();
    harness.register({ greeter: ['127.0.0.1:1'] });
    const script = [
      'import sys, time, grpc',
      "channel = grpc.insecure_channel('greeter:50051')",
      'started = time.monotonic()',
      'try:',
      "    channel.unary_unary('/helloworld.Greeter/SayHello')(b'', timeout=10)",
      "    print('answered')",
      'except grpc.RpcError as error:',
      "    print(error.code().name, round(time.monotonic() - started, 2), error.details(), sep='|')",
    ].join('\n');
    const result = await run(PYTHON, ['-c', script], { http_proxy: harness.url, grpc_proxy: harness.url });
    if (/No module named 'grpc'/.test(result.stderr)) throw new Error(`grpcio is missing: apt-get install python3-grpcio (${result.stderr.trim()})`);
    expect(result.code).toBe(0);
    const [code, seconds, details] = result.stdout.trim().split('|');
    expect(code).toBe('UNAVAILABLE');
    expect(Number(seconds)).toBeLessThan(5);
    expect(details).toMatch(/the mesh does not serve HTTP\/2 \(gRPC\) to services yet, so the call to greeter:50051 was not sent/);
    const event = await harness.nextEvent((e) => e.method === 'CONNECT');
    expect(event).toMatchObject({ service: 'greeter', path: 'greeter:50051', flags: ['tunnelled'] });
  });
});
