/**
 * Decoding logged gRPC calls: real grpc-js calls through a real proxy, recorded by the telemetry
 * with their bodies, then decoded with the types from the server's reflection (v1), from a .proto
 * file or a descriptor set named in protoPaths, and without either (sizes and hex, with a note
 * saying why).
 * Run: npx vitest run main/mesh/grpc/grpc-decoding.test.ts
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { describe, expect, it } from 'vitest';
import { Telemetry } from '../telemetry/telemetry.js';
import { startProxy } from '../proxy/testing/harness.js';
import { clientAtProxyPort, GREETER_PROTO, sayHello, startGreeter, type HelloReply } from '../proxy/h2/testing/greeter.js';
import { GrpcDecoder } from './grpc-decoder.js';
import { Reflection } from './reflection.js';

/** A proxy whose telemetry keeps bodies, and a decoder over it with the given protoPaths. */
async function recordedCalls(options: { reflection: boolean; protoPaths?: string[] }) {
  const greeter = await startGreeter('v1', { reflection: options.reflection });
  const harness = await startProxy();
  const telemetry = new Telemetry();
  telemetry.attach(harness.bus);
  harness.register({ greeter: [greeter.address] });
  const client = clientAtProxyPort(harness.port);
  const decoder = new GrpcDecoder(() => ({ paths: options.protoPaths ?? [], baseDir: path.dirname(GREETER_PROTO) }), new Reflection());
  const decodeLast = async (method: string) => {
    await expect.poll(() => telemetry.query({ path: method }).exchanges.length).toBeGreaterThan(0);
    const [logged] = telemetry.query({ path: method }).exchanges;
    const exchange = telemetry.exchange(logged?.id ?? 0);
    if (exchange === null) throw new Error('not logged');
    return decoder.decode(exchange);
  };
  return { client, decodeLast };
}

describe('decoding gRPC calls', () => {
  it('decodes with the types the server’s reflection gives, unary and streaming', async () => {
    const { client, decodeLast } = await recordedCalls({ reflection: true });
    expect(await sayHello(client, 'ann')).toEqual({ message: 'hello ann from v1' });
    expect(await decodeLast('/helloworld.Greeter/SayHello')).toEqual({
      method: '/helloworld.Greeter/SayHello',
      requestType: 'helloworld.HelloRequest',
      responseType: 'helloworld.HelloReply',
      source: 'reflection',
      note: null,
      request: [{ size: 5, compressed: false, truncated: false, json: { name: 'ann' } }],
      response: [{ size: 19, compressed: false, truncated: false, json: { message: 'hello ann from v1' } }],
    });
    await new Promise<void>((resolve) => {
      const stream = client.LotsOfReplies({ name: 'bo', count: 3 });
      stream.on('data', (_reply: HelloReply) => undefined);
      stream.on('end', resolve);
    });
    const streamed = await decodeLast('/helloworld.Greeter/LotsOfReplies');
    expect(streamed.request.map((message) => message.json)).toEqual([{ name: 'bo', count: 3 }]);
    expect(streamed.response.map((message) => message.json)).toEqual([{ message: '0 bo from v1' }, { message: '1 bo from v1' }, { message: '2 bo from v1' }]);
  });

  it('decodes with a .proto file and with a descriptor set named in protoPaths, before asking reflection', async () => {
    const { client, decodeLast } = await recordedCalls({ reflection: false, protoPaths: ['greeter.proto'] });
    await sayHello(client, 'cy');
    expect(await decodeLast('/helloworld.Greeter/SayHello')).toMatchObject({
      source: 'proto-files',
      request: [{ json: { name: 'cy' } }],
      response: [{ json: { message: 'hello cy from v1' } }],
    });

    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-protoset-'));
    const set = (protobuf.loadSync(GREETER_PROTO) as protobuf.Root & { toDescriptor(syntax: string): protobuf.Message }).toDescriptor('proto3');
    writeFileSync(path.join(dir, 'greeter.pb'), descriptor.FileDescriptorSet.encode(set).finish());
    const fromSet = await recordedCalls({ reflection: false, protoPaths: [dir] });
    await sayHello(fromSet.client, 'di');
    expect(await fromSet.decodeLast('/helloworld.Greeter/SayHello')).toMatchObject({ source: 'proto-files', request: [{ json: { name: 'di' } }] });
  });

  it('shows sizes and bytes, and says why, when no types are found', async () => {
    const { client, decodeLast } = await recordedCalls({ reflection: false, protoPaths: ['missing.proto'] });
    await sayHello(client, 'ed');
    const decoded = await decodeLast('/helloworld.Greeter/SayHello');
    expect(decoded).toMatchObject({ source: 'none', requestType: null, request: [{ size: 4, hex: '0a 02 65 64' }] });
    expect(decoded.note).toMatch(
      /^protoPaths gave no types \(\S+missing\.proto: no such file or folder\); reflection at 127\.0\.0\.1:\d+ answered UNIMPLEMENTED/,
    );
  });
});
