/**
 * The bench's one gRPC call, helloworld.Greeter/SayHello, as bytes: the HelloRequest every load
 * generator sends (gRPC's length-prefixed message framing around the protobuf) and the HelloReply
 * read back by the sanity call. Types come from the tests' greeter.proto (the source file, which tsc
 * does not copy into dist/), through protobufjs, so the bench and the server agree on the wire.
 */
import path from 'node:path';
import protobuf from 'protobufjs';
import { packageRoot } from '../../main/package-root.js';

export const GREETER_PROTO = path.join(packageRoot(), 'main', 'mesh', 'proxy', 'h2', 'testing', 'greeter.proto');
export const SAY_HELLO_PATH = '/helloworld.Greeter/SayHello';

const root = protobuf.loadSync(GREETER_PROTO);
const HelloRequest = root.lookupType('helloworld.HelloRequest');
const HelloReply = root.lookupType('helloworld.HelloReply');

/** gRPC's framing: a compressed flag (0) and the message's length (uint32, big-endian), then the message. */
function frame(message: Uint8Array): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/** A framed HelloRequest, as the body of one unary call. */
export function helloRequest(name: string): Buffer {
  return frame(HelloRequest.encode(HelloRequest.create({ name })).finish());
}

/** The message of a framed HelloReply body; throws on anything else. */
export function helloReplyMessage(body: Buffer): string {
  if (body.length < 5 || body[0] !== 0) throw new Error(`not an uncompressed gRPC message (${body.length} bytes)`);
  const length = body.readUInt32BE(1);
  if (body.length !== 5 + length) throw new Error(`gRPC message of ${length} bytes in a body of ${body.length}`);
  return (HelloReply.decode(body.subarray(5)) as unknown as { message: string }).message;
}
