// Counting a gRPC direction's messages however its bytes are split: whole, byte by byte, or with
// prefixes cut across chunks; empty messages count too.
// Run: npx vitest run main/mesh/proxy/h2/grpc-message-counter.test.ts
import { describe, expect, it } from 'vitest';
import { GrpcMessageCounter } from './grpc-message-counter.js';

function message(bytes: number): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(bytes, 1);
  return Buffer.concat([prefix, Buffer.alloc(bytes, 7)]);
}

describe('GrpcMessageCounter', () => {
  const body = Buffer.concat([message(3), message(0), message(70_000), message(1)]);

  it('counts messages sent whole, one byte at a time, and cut at every size', () => {
    for (const size of [body.length, 1, 2, 4, 5, 6, 4096]) {
      const counter = new GrpcMessageCounter();
      for (let at = 0; at < body.length; at += size) counter.push(body.subarray(at, at + size));
      expect(counter.count, `chunks of ${size}`).toBe(4);
    }
  });

  it('counts a message once its prefix is complete, before its body has come', () => {
    const counter = new GrpcMessageCounter();
    counter.push(message(10).subarray(0, 7));
    expect(counter.count).toBe(1);
    counter.push(Buffer.alloc(0));
    expect(counter.count).toBe(1);
  });
});
