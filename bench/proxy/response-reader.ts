/**
 * Reads HTTP/1.1 responses off one keep-alive connection, one after another, for the bench's Node
 * load generator (tunnel-load.ts): the status, then the body framed by Content-Length or by chunked
 * encoding, so the generator knows when to send its next request. It reads what an answer to a GET
 * on a kept-alive connection can be (interim 1xx answers are skipped, 204/304 have no body) and
 * refuses a body that only the connection's close would end: on a row under load that is a broken
 * proxy, to be counted as an error, not read around.
 * Bytes are not copied unless `keepBodies` asks for them (the sanity request does; the load does not).
 */

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const LINE_END = Buffer.from('\r\n', 'latin1');
const EMPTY = Buffer.alloc(0);

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers';

export class ResponseError extends Error {}

export class ResponseReader {
  private pending: Buffer = EMPTY;
  private state: State = 'head';
  private status = 0;
  /** Body bytes still to come: of the whole body (Content-Length) or of the current chunk. */
  private remaining = 0;
  private body: Buffer[] = [];

  constructor(
    private readonly keepBodies: boolean,
    private readonly onResponse: (status: number, body: Buffer) => void,
  ) {}

  /** Feeds the next bytes read; calls `onResponse` for each response they complete. Throws ResponseError. */
  push(chunk: Buffer): void {
    const bytes = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let at = 0;
    let progressed = true;
    while (progressed && at < bytes.length) {
      const before = at;
      at = this.step(bytes, at);
      progressed = at !== before;
    }
    // The body states consume bytes as they come; only a head or a line may be left waiting.
    this.pending = at >= bytes.length ? EMPTY : bytes.subarray(at);
  }

  /** Advances through `bytes` from `at` as far as one state allows; returns where it stopped. */
  private step(bytes: Buffer, at: number): number {
    switch (this.state) {
      case 'head': {
        const end = bytes.indexOf(HEAD_END, at);
        if (end < 0) return at;
        this.readHead(bytes.toString('latin1', at, end));
        return end + HEAD_END.length;
      }
      case 'length':
      case 'chunk-data': {
        const taken = Math.min(this.remaining, bytes.length - at);
        if (this.keepBodies && taken > 0) this.body.push(Buffer.from(bytes.subarray(at, at + taken)));
        this.remaining -= taken;
        if (this.remaining === 0) {
          if (this.state === 'length') this.complete();
          else this.state = 'chunk-end';
        }
        return at + taken;
      }
      case 'chunk-size': {
        const end = bytes.indexOf(LINE_END, at);
        if (end < 0) return at;
        const line = bytes.toString('latin1', at, end);
        const size = Number.parseInt(line.split(';', 1)[0] ?? '', 16);
        if (!Number.isFinite(size) || size < 0) throw new ResponseError(`malformed chunk size ${JSON.stringify(line)}`);
        this.remaining = size;
        this.state = size === 0 ? 'trailers' : 'chunk-data';
        return end + LINE_END.length;
      }
      case 'chunk-end': {
        if (bytes.length - at < LINE_END.length) return at;
        if (bytes[at] !== 13 || bytes[at + 1] !== 10) throw new ResponseError('chunk not followed by CRLF');
        this.state = 'chunk-size';
        return at + LINE_END.length;
      }
      case 'trailers': {
        const end = bytes.indexOf(LINE_END, at);
        if (end < 0) return at;
        if (end === at) this.complete(); // the empty line after the trailers (usually none)
        return end + LINE_END.length;
      }
    }
  }

  private readHead(head: string): void {
    if (!head.startsWith('HTTP/1.')) throw new ResponseError(`not an HTTP/1.x response: ${JSON.stringify(head.slice(0, 40))}`);
    const status = Number(head.slice(9, 12));
    if (!Number.isInteger(status)) throw new ResponseError(`malformed status line ${JSON.stringify(head.split('\r\n', 1)[0])}`);
    if (status < 200) return; // interim (100 Continue and the like): the real answer follows
    let length: number | null = null;
    let chunked = false;
    for (const line of head.split('\r\n').slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      if (name === 'content-length') length = Number(line.slice(colon + 1).trim());
      else if (name === 'transfer-encoding')
        chunked = line
          .slice(colon + 1)
          .toLowerCase()
          .includes('chunked');
    }
    this.status = status;
    if (chunked) {
      this.state = 'chunk-size';
    } else if (length !== null && Number.isInteger(length) && length >= 0) {
      this.remaining = length;
      this.state = 'length';
      if (length === 0) this.complete();
    } else if (status === 204 || status === 304) {
      this.complete();
    } else {
      throw new ResponseError(`status ${status} without Content-Length or chunked encoding (a body ended by close)`);
    }
  }

  private complete(): void {
    const body = this.body.length === 0 ? EMPTY : Buffer.concat(this.body);
    this.body = [];
    this.state = 'head';
    this.onResponse(this.status, body);
  }
}
