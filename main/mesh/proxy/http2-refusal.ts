/**
 * The bytes with which a server refuses an HTTP/2 connection it will not serve (RFC 9113): its
 * connection preface (an empty SETTINGS frame), then GOAWAY with HTTP_1_1_REQUIRED and a reason
 * as debug data. HTTP/2 clients, gRPC's among them, report the code and often the debug text,
 * so the user reads why instead of a bare reset.
 */
const FRAME_HEADER_BYTES = 9;
const SETTINGS = 0x4;
const GOAWAY = 0x7;
const HTTP_1_1_REQUIRED = 0xd;

export function http2Refusal(reason: string): Buffer {
  const debug = Buffer.from(reason, 'utf8');
  const settings = frame(SETTINGS, Buffer.alloc(0));
  const payload = Buffer.alloc(8 + debug.length);
  payload.writeUInt32BE(0, 0); // last stream id: no stream was processed
  payload.writeUInt32BE(HTTP_1_1_REQUIRED, 4);
  debug.copy(payload, 8);
  return Buffer.concat([settings, frame(GOAWAY, payload)]);
}

function frame(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUIntBE(payload.length, 0, 3);
  header.writeUInt8(type, 3);
  // flags 0, stream 0: both are connection-level frames
  return Buffer.concat([header, payload]);
}
