// "Copy as grpcurl" from a decoded call: the authority, the metadata a user set, the messages as
// JSON, the proxy's address and the method; and why there is no command when messages are not decoded.
// Run: npx vitest run renderer/src/requests/grpcurl-command.test.ts
import { describe, expect, it } from 'vitest';
import { MASKED_VALUE } from '../../../shared/exchange.js';
import type { GrpcDecoding } from '../../../shared/grpc-messages.js';
import { grpcurlCommand } from './grpcurl-command.js';

const exchange = {
  service: 'greeter',
  path: '/helloworld.Greeter/SayHello',
  requestHeaders: [
    [':authority', 'greeter:50051'],
    [':path', '/helloworld.Greeter/SayHello'],
    ['content-type', 'application/grpc'],
    ['te', 'trailers'],
    ['x-tenant', "o'brien"],
    ['authorization', MASKED_VALUE],
    ['grpc-timeout', '9999m'],
  ] as [string, string][],
};

const decoding = (source: GrpcDecoding['source'], json?: unknown): GrpcDecoding => ({
  method: exchange.path,
  requestType: source === 'none' ? null : 'helloworld.HelloRequest',
  responseType: source === 'none' ? null : 'helloworld.HelloReply',
  source,
  note: null,
  request: [{ size: 5, compressed: false, truncated: false, ...(json === undefined ? { hex: '0a 03 61 6e 6e' } : { json }) }],
  response: [],
});

describe('grpcurlCommand', () => {
  it('makes the call again through the mesh with its metadata and JSON message', () => {
    expect(grpcurlCommand(exchange, decoding('reflection', { name: 'ann' }), 'http://127.0.0.1:4140')).toEqual({
      command: [
        'grpcurl -plaintext -authority greeter',
        `  -H 'x-tenant: o'\\''brien'`,
        `  -d '{"name":"ann"}'`,
        '  127.0.0.1:4140 helloworld.Greeter/SayHello',
      ].join(' \\\n'),
    });
  });

  it('says the proto files are needed when the types came from protoPaths, and why there is no command without types', () => {
    const fromFiles = grpcurlCommand(exchange, decoding('proto-files', { name: 'ann' }), 'http://127.0.0.1:4140');
    expect('command' in fromFiles && fromFiles.command.split('\n').slice(0, 2)).toEqual([
      '# the types came from protoPaths: add -import-path DIR -proto FILE.proto as in meshdesk.yaml',
      'grpcurl -plaintext -authority greeter \\',
    ]);
    expect(grpcurlCommand(exchange, decoding('none'), 'http://127.0.0.1:4140')).toEqual({
      reason: 'grpcurl takes messages as JSON: the mesh needs the message types (see above)',
    });
  });
});
