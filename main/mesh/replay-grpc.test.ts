/**
 * Replaying a logged gRPC call: it goes again over HTTP/2 through the real proxy, to the version
 * asked for, and comes back with its trailers' verdict (grpc-status) among the headers.
 * Run: npx vitest run main/mesh/replay-grpc.test.ts
 */
import { describe, expect, it } from 'vitest';
import { startProxy } from './proxy/testing/harness.js';
import { clientAtProxyPort, sayHello, startGreeter } from './proxy/h2/testing/greeter.js';
import { replay } from './replay.js';
import { Telemetry } from './telemetry/telemetry.js';

describe('replaying a gRPC call', () => {
  it('resends a unary call to another version over HTTP/2, with its gRPC status', async () => {
    const v1 = await startGreeter('v1');
    const v2 = await startGreeter('v2');
    const harness = await startProxy();
    const telemetry = new Telemetry();
    telemetry.attach(harness.bus);
    harness.register({ greeter: { v1: [v1.address], v2: [v2.address] } });
    expect(await sayHello(clientAtProxyPort(harness.port), 'ann')).toEqual({ message: 'hello ann from v1' });
    await expect.poll(() => telemetry.query({}).exchanges.length).toBe(1);
    const original = telemetry.exchange(telemetry.query({}).exchanges[0]?.id ?? 0);
    if (original === null) throw new Error('not logged');

    const result = await replay(
      original,
      { id: original.id, version: 'v2' },
      {
        proxyUrl: harness.url,
        newestReplay: () => telemetry.query({ caller: 'replay', limit: 1 }).exchanges[0] ?? null,
      },
    );
    expect(result.status).toBe(200);
    expect(result.version).toBe('v2');
    expect(result.headers).toContainEqual(['grpc-status', '0']);
    // HelloReply { message = 1 } after the 5-byte prefix.
    expect(Buffer.from(result.body.data, result.body.encoding).subarray(7).toString()).toBe('hello ann from v2');
    const logged = telemetry.query({ caller: 'replay' }).exchanges[0];
    expect(logged).toMatchObject({ protocol: 'h2', version: 'v2', grpc: { status: 0 } });
  });
});
