/**
 * The messages of a gRPC body: each is a 5-byte prefix (a compressed flag, then the length as a
 * big-endian uint32) and that many bytes. A body the log cut short ends inside a message: that
 * one is returned with what was kept, marked truncated.
 */
export interface GrpcFrame {
  compressed: boolean;
  /** The length the prefix announced. */
  size: number;
  bytes: Buffer;
  truncated: boolean;
}

export function grpcFrames(body: Buffer): GrpcFrame[] {
  const frames: GrpcFrame[] = [];
  let offset = 0;
  while (offset + 5 <= body.length) {
    const compressed = body[offset] === 1;
    const size = body.readUInt32BE(offset + 1);
    const start = offset + 5;
    const end = Math.min(start + size, body.length);
    frames.push({ compressed, size, bytes: body.subarray(start, end), truncated: end - start < size });
    offset = start + size;
  }
  return frames;
}

/** One message as a gRPC body carries it: uncompressed, behind its 5-byte prefix. */
export function framed(message: Uint8Array): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/** The first message of `body` once it has come whole; null while it has not. */
export function firstWholeMessage(body: Buffer): Buffer | null {
  const [first] = grpcFrames(body);
  return first === undefined || first.truncated ? null : first.bytes;
}
