/**
 * Copies of HTTP/2 calls (gRPC, h2c): sent to the instance over HTTP/2 with prior knowledge, as the
 * proxy forwards them, on one session per instance kept for the next copies. The answer's trailers
 * are read with its headers (a gRPC call's verdict, `grpc-status`, is a trailer), so a pair whose
 * versions end a call differently differs on `header grpc-status`.
 */
import http2, { type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import type { RawHeaders } from '../../../shared/exchange.js';
import { ROUTE_OVERRIDE_HEADER } from '../../../shared/routes.js';
import { SHADOW_HEADER } from '../../../shared/shadow.js';
import { BodyCapture } from '../telemetry/exchange-capture.js';
import type { CopiedRequest, CopyAnswer } from './shadow-request.js';

/** Connection-specific headers HTTP/2 forbids, and the mesh's own. */
const NOT_COPIED = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'host',
  'x-meshdesk-caller',
  ROUTE_OVERRIDE_HEADER,
  SHADOW_HEADER,
]);

export class H2Copies {
  private readonly sessions = new Map<string, ClientHttp2Session>();

  constructor(private readonly options: { captureBodyBytes: number; timeoutMs: number }) {}

  send(address: string, copy: CopiedRequest): Promise<CopyAnswer> {
    const started = performance.now();
    return new Promise((resolve) => {
      let firstByteMs: number | null = null;
      let headers: IncomingHttpHeaders | null = null;
      let trailers: IncomingHttpHeaders | null = null;
      const capture = new BodyCapture(this.options.captureBodyBytes);
      let done = false;
      // 'end', 'error' and 'close' may each come; the first one decides.
      const finish = (error: string | null) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        const status = error === null && headers ? Number(headers[':status'] ?? 0) : 0;
        const raw = error === null ? [...headerList(headers), ...headerList(trailers)] : [];
        resolve({ status, error, headers: raw, body: error === null ? capture.result() : null, firstByteMs, ms: performance.now() - started });
      };
      let opened: http2.ClientHttp2Stream | null = null;
      const timer = setTimeout(() => opened?.close(http2.constants.NGHTTP2_CANCEL), this.options.timeoutMs);
      try {
        opened = this.session(address).request(requestHeaders(copy), { endStream: !copy.body || copy.body.length === 0 });
      } catch (error) {
        finish((error as Error).message);
        return;
      }
      const stream = opened;
      stream.on('response', (received) => {
        firstByteMs = performance.now() - started;
        headers = received;
      });
      stream.on('trailers', (received) => (trailers = received));
      stream.on('data', (chunk: Buffer) => capture.push(chunk));
      stream.on('end', () => finish(headers ? null : 'stream ended without a response'));
      stream.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ECONNREFUSED' ? 'connection refused' : error.message));
      stream.on('close', () => {
        if (!headers) finish(stream.rstCode === http2.constants.NGHTTP2_CANCEL ? 'timed out' : `stream reset (code ${stream.rstCode})`);
      });
      if (copy.body && copy.body.length > 0) stream.end(copy.body);
    });
  }

  close(): void {
    for (const session of this.sessions.values()) session.destroy();
    this.sessions.clear();
  }

  private session(address: string): ClientHttp2Session {
    const open = this.sessions.get(address);
    if (open && !open.closed && !open.destroyed) return open;
    const session = http2.connect(`http://${address}`);
    // A session that fails or is told to go away is dropped; the next copy opens another.
    const forget = () => {
      if (this.sessions.get(address) === session) this.sessions.delete(address);
    };
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    session.unref();
    this.sessions.set(address, session);
    return session;
  }
}

/** The caller's request headers for the copy: its pseudo-headers as they were, hop-by-hop and the mesh's own left out. */
function requestHeaders(copy: CopiedRequest): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { ':method': copy.method, ':path': copy.path, ':scheme': 'http' };
  const raw: RawHeaders = copy.headers;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    if (name === ':authority') headers[':authority'] = value;
    if (name.startsWith(':') || NOT_COPIED.has(name) || (name === 'te' && value !== 'trailers')) continue;
    const before = headers[name];
    headers[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [String(before)]), value];
  }
  headers[SHADOW_HEADER] = '1';
  return headers;
}

function headerList(block: IncomingHttpHeaders | null): string[] {
  const list: string[] = [];
  if (block === null) return list;
  for (const name in block) {
    const value = block[name];
    if (value === undefined || name.startsWith(':')) continue;
    for (const one of Array.isArray(value) ? value : [String(value)]) list.push(name, one);
  }
  return list;
}
