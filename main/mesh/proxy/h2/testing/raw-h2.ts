/**
 * A hand-framed HTTP/2 client for hostile-peer tests: it writes whatever frames a test builds —
 * malformed, flooding, never acknowledging — over a plain TCP socket, and parses the frames the peer
 * sends back, so a test can assert the exact GOAWAY or RST_STREAM code. Node's own http2 client
 * cannot be used for this: it refuses to send what the protocol forbids.
 *
 * Frames are RFC 9113 §4.1 (a 9-byte header: 24-bit length, type, flags, 31-bit stream id, then the
 * payload); header blocks are HPACK (RFC 7541) without Huffman coding, which a decoder must accept.
 */
import net from 'node:net';

/** The client connection preface (RFC 9113 §3.4). */
export const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export const FRAME = { DATA: 0x0, HEADERS: 0x1, RST_STREAM: 0x3, SETTINGS: 0x4, PING: 0x6, GOAWAY: 0x7, WINDOW_UPDATE: 0x8, CONTINUATION: 0x9 } as const;

export const FLAG = { ACK: 0x1, END_STREAM: 0x1, END_HEADERS: 0x4, PADDED: 0x8 } as const;

/** SETTINGS identifiers (RFC 9113 §6.5.2). */
export const SETTING = { ENABLE_PUSH: 0x2, MAX_CONCURRENT_STREAMS: 0x3, INITIAL_WINDOW_SIZE: 0x4 } as const;

/** The largest frame payload a peer must accept before it raises SETTINGS_MAX_FRAME_SIZE. */
export const DEFAULT_MAX_FRAME_SIZE = 16_384;

/** HTTP/2 error codes (RFC 9113 §7). */
export const ERROR = {
  NO_ERROR: 0,
  PROTOCOL_ERROR: 1,
  INTERNAL_ERROR: 2,
  FLOW_CONTROL_ERROR: 3,
  SETTINGS_TIMEOUT: 4,
  STREAM_CLOSED: 5,
  FRAME_SIZE_ERROR: 6,
  REFUSED_STREAM: 7,
  CANCEL: 8,
  COMPRESSION_ERROR: 9,
  ENHANCE_YOUR_CALM: 11,
} as const;

/** Where the first entry of the HPACK dynamic table is addressed (after the 61 static entries). */
export const FIRST_DYNAMIC_INDEX = 62;

export interface Frame {
  type: number;
  flags: number;
  stream: number;
  payload: Buffer;
}

/** One frame: the 9-byte header, then `payload`. */
export function frame(type: number, flags: number, stream: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(stream & 0x7fffffff, 5);
  return Buffer.concat([header, payload]);
}

/** A SETTINGS frame with `entries` as [identifier, value] pairs. */
export function settingsFrame(entries: [number, number][] = []): Buffer {
  const payload = Buffer.alloc(entries.length * 6);
  entries.forEach(([id, value], i) => {
    payload.writeUInt16BE(id, i * 6);
    payload.writeUInt32BE(value, i * 6 + 2);
  });
  return frame(FRAME.SETTINGS, 0, 0, payload);
}

export function pingFrame(data = Buffer.alloc(8)): Buffer {
  return frame(FRAME.PING, 0, 0, data);
}

export function rstStreamFrame(stream: number, code: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(code);
  return frame(FRAME.RST_STREAM, 0, stream, payload);
}

/** A HEADERS frame carrying the whole `block` (END_HEADERS), ending the stream unless `endStream` is false. */
export function headersFrame(stream: number, block: Buffer, endStream = true): Buffer {
  return frame(FRAME.HEADERS, FLAG.END_HEADERS | (endStream ? FLAG.END_STREAM : 0), stream, block);
}

/**
 * A header block as one HEADERS frame and as many CONTINUATION frames as it takes to keep each
 * within `maxFrame` bytes (RFC 9113 §6.10): how a block larger than one frame is sent.
 */
export function headerFrames(stream: number, block: Buffer, endStream = true, maxFrame = DEFAULT_MAX_FRAME_SIZE): Buffer[] {
  const frames: Buffer[] = [];
  for (let at = 0; at < block.length; at += maxFrame) {
    const last = at + maxFrame >= block.length;
    const flags = (last ? FLAG.END_HEADERS : 0) | (at === 0 && endStream ? FLAG.END_STREAM : 0);
    frames.push(frame(at === 0 ? FRAME.HEADERS : FRAME.CONTINUATION, flags, stream, block.subarray(at, at + maxFrame)));
  }
  return frames;
}

/** An HPACK integer with an N-bit prefix (RFC 7541 §5.1); `high` holds the first byte's other bits. */
export function hpackInteger(value: number, prefixBits: number, high = 0): Buffer {
  const max = (1 << prefixBits) - 1;
  if (value < max) return Buffer.from([high | value]);
  const bytes = [high | max];
  let rest = value - max;
  while (rest >= 128) {
    bytes.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** An HPACK string literal, not Huffman coded (RFC 7541 §5.2). */
function hpackString(text: string): Buffer {
  const bytes = Buffer.from(text, 'latin1');
  return Buffer.concat([hpackInteger(bytes.length, 7), bytes]);
}

/** A field as a literal without indexing, with a literal name (RFC 7541 §6.2.2): the decoder's table is left alone. */
export function literal(name: string, value: string): Buffer {
  return Buffer.concat([Buffer.from([0x00]), hpackString(name), hpackString(value)]);
}

/** A field as a literal with incremental indexing (RFC 7541 §6.2.1): the decoder adds it to its dynamic table. */
export function indexedLiteral(name: string, value: string): Buffer {
  return Buffer.concat([Buffer.from([0x40]), hpackString(name), hpackString(value)]);
}

/** A field by its table index (RFC 7541 §6.1). */
export function indexed(index: number): Buffer {
  return hpackInteger(index, 7, 0x80);
}

/** A header block for a plain request: the pseudo-headers, then `extra` fields as literals. */
export function requestBlock(authority: string, path: string, extra: [string, string][] = [], method = 'GET'): Buffer {
  const fields: [string, string][] = [[':method', method], [':scheme', 'http'], [':authority', authority], [':path', path], ...extra];
  return Buffer.concat(fields.map(([name, value]) => literal(name, value)));
}

/** Splits `bytes` into every complete frame they hold; the incomplete tail is returned as `rest`. */
export function parseFrames(bytes: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let at = 0;
  while (bytes.length - at >= 9) {
    const length = bytes.readUIntBE(at, 3);
    if (bytes.length - at < 9 + length) break;
    frames.push({
      type: bytes[at + 3] ?? 0,
      flags: bytes[at + 4] ?? 0,
      stream: bytes.readUInt32BE(at + 5) & 0x7fffffff,
      payload: bytes.subarray(at + 9, at + 9 + length),
    });
    at += 9 + length;
  }
  return { frames, rest: bytes.subarray(at) };
}

export interface GoAway {
  lastStream: number;
  code: number;
}

/** A GOAWAY frame's last-stream-id and error code. */
export function goAwayOf(received: Frame): GoAway {
  return { lastStream: received.payload.readUInt32BE(0) & 0x7fffffff, code: received.payload.readUInt32BE(4) };
}

/** A RST_STREAM frame's error code. */
export function rstCodeOf(received: Frame): number {
  return received.payload.readUInt32BE(0);
}

/**
 * One raw HTTP/2 connection. It parses what arrives into `frames` but answers nothing on its own (no
 * SETTINGS ACK, no PING ACK, no WINDOW_UPDATE): a test sends whatever it means to.
 */
export class RawH2 {
  readonly frames: Frame[] = [];
  /** True once the peer closed or reset the connection. */
  closed = false;
  private pending: Buffer = Buffer.alloc(0);
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      const parsed = parseFrames(Buffer.concat([this.pending, chunk]));
      this.pending = parsed.rest;
      this.frames.push(...parsed.frames);
      this.wake();
    });
    // A reset is how a peer that gave up on us may close: it counts as closed, not as a test failure.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  /** A bare TCP connection: nothing is sent, not even the preface. */
  static connect(port: number): Promise<RawH2> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(new RawH2(socket)));
      socket.once('error', reject);
    });
  }

  /**
   * A connection that has sent the preface and an empty SETTINGS frame. With `acknowledge`, it also
   * waits for the peer's SETTINGS and acknowledges them: a peer (nghttp2) applies the limits it
   * advertised only from that acknowledgement on.
   */
  static async open(port: number, { acknowledge = false } = {}): Promise<RawH2> {
    const raw = await RawH2.connect(port);
    await raw.send(PREFACE, settingsFrame());
    if (acknowledge) {
      await raw.until(() => raw.frames.some((received) => received.type === FRAME.SETTINGS && (received.flags & FLAG.ACK) === 0), 2_000, "the peer's SETTINGS");
      await raw.send(frame(FRAME.SETTINGS, FLAG.ACK, 0));
    }
    return raw;
  }

  /** Writes `bytes`, resolving once they are handed to the kernel; never rejects (the peer may have gone). */
  send(...bytes: Buffer[]): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) {
        resolve();
        return;
      }
      this.socket.write(Buffer.concat(bytes), () => resolve());
    });
  }

  /** The first GOAWAY received, if any. */
  get goAway(): GoAway | null {
    const found = this.frames.find((received) => received.type === FRAME.GOAWAY);
    return found === undefined ? null : goAwayOf(found);
  }

  /** The RST_STREAM codes received, by stream. */
  get resets(): Map<number, number> {
    return new Map(this.frames.filter((received) => received.type === FRAME.RST_STREAM).map((received) => [received.stream, rstCodeOf(received)]));
  }

  /** The response body received on `stream` so far (its DATA frames, padding removed). */
  bodyOf(stream: number): string {
    const parts = this.frames
      .filter((received) => received.type === FRAME.DATA && received.stream === stream)
      .map(({ flags, payload }) => ((flags & FLAG.PADDED) === 0 ? payload : payload.subarray(1, payload.length - (payload[0] ?? 0))));
    return Buffer.concat(parts).toString('latin1');
  }

  /** True once a frame ending `stream` (END_STREAM on DATA or HEADERS) arrived. */
  ended(stream: number): boolean {
    return this.frames.some(
      (received) => received.stream === stream && (received.type === FRAME.DATA || received.type === FRAME.HEADERS) && (received.flags & FLAG.END_STREAM) !== 0,
    );
  }

  /** Resolves once `done()` holds (checked as frames arrive and when the connection closes), or rejects after `timeoutMs`. */
  until(done: () => boolean, timeoutMs = 2_000, what = 'the awaited frames'): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${what} did not come within ${timeoutMs} ms; got ${this.describe()}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Resolves once the peer has closed the connection. */
  untilClosed(timeoutMs = 2_000): Promise<void> {
    return this.until(() => this.closed, timeoutMs, 'the connection closing');
  }

  /** What arrived, for failure messages: each frame's type, stream and (GOAWAY, RST_STREAM) code. */
  describe(): string {
    const shown = this.frames.slice(0, 20).map((received) => {
      const code =
        received.type === FRAME.GOAWAY ? ` code ${goAwayOf(received).code}` : received.type === FRAME.RST_STREAM ? ` code ${rstCodeOf(received)}` : '';
      return `type ${received.type} stream ${received.stream}${code}`;
    });
    const more = this.frames.length > shown.length ? `, … (${this.frames.length} frames)` : '';
    return `[${shown.join(', ')}${more}]${this.closed ? ' then closed' : ''}`;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
