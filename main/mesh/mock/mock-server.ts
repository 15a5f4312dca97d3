/**
 * One mock's answers, served by the mesh process on a loopback port that is registered as the one
 * instance of `<service>@recorded`. Built as a real instance rather than a special case in the
 * proxy on purpose: the proxy's routing (weights, header rules, the override header, dragging the
 * edge), its resilience, HTTP/2 and gRPC relaying and its telemetry all treat it like any other
 * instance, and the forwarding hot path has no check added for it. The cost is one loopback hop for
 * mocked requests only.
 *
 * Both protocols the proxy may use towards an instance are spoken on the one port: HTTP/1.1, and
 * HTTP/2 with prior knowledge (what a gRPC call is relayed over), told apart by the connection's
 * first bytes. Only the proxy is meant to call it: it listens on 127.0.0.1 alone, and its answers
 * are recorded bytes or a miss's explanation, nothing of this machine beyond what the HAR holds.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import http from '../node-http.js';
import http2, { type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import net, { type AddressInfo, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { MOCK_HEADER, MOCK_MISS_STATUS, type MockMiss } from '../../../shared/mock.js';
import { GRPC, isGrpc, trailersOnly } from '../proxy/h2/grpc-status.js';
import type { AskedRequest, MockMatcher } from './mock-matcher.js';
import type { RecordedAnswer } from './recording.js';

/** Bytes of a request body a mock reads to match it; a larger one is a miss without being buffered further. */
const MAX_BODY = 8 * 1024 * 1024;
const MISSES_KEPT = 20;
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0');

export interface MockServerOptions {
  service: string;
  /** The HAR file, as a miss names it. */
  file: string;
  matcher: MockMatcher;
  replayLatency: boolean;
  /** Called after each answer (hit or miss), for the panel's counts. */
  onAnswer: () => void;
}

export class MockServer {
  hits = 0;
  misses = 0;
  readonly recentMisses: MockMiss[] = [];
  private readonly listener: net.Server;
  private readonly h1: Server;
  private readonly h2: http2.Http2Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: MockServerOptions) {
    this.h1 = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => this.onHttp1(req, res));
    // No request listener: Node's compatibility layer would take each stream and send its own (empty) trailers.
    this.h2 = http2.createServer();
    this.h2.on('stream', (stream, headers) => this.onStream(stream, headers));
    this.h2.on('sessionError', () => undefined);
    this.listener = net.createServer((socket) => this.accept(socket));
  }

  /** Listens on 127.0.0.1, a port of the system's choosing; returns the address to register. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen(0, '127.0.0.1', () => resolve());
    });
    return `127.0.0.1:${(this.listener.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      const h2 = first.subarray(0, H2_PREFACE.length).equals(H2_PREFACE.subarray(0, Math.min(first.length, H2_PREFACE.length)));
      // HTTP/2: left paused, the session reads the socket itself, the bytes put back first (as h2-front.ts).
      if (h2) {
        this.h2.emit('connection', socket);
        return;
      }
      this.h1.emit('connection', socket);
      socket.resume();
    });
  }

  private onHttp1(req: IncomingMessage, res: ServerResponse): void {
    res.sendDate = false; // the recorded Date, if any, is replayed as it was
    void readBody(req).then((body) => {
      const asked = askedOf(req.method ?? 'GET', req.url ?? '/', req.headers, body);
      const found = body === null ? null : this.options.matcher.match(asked);
      if (found === null) {
        const { text, recorded } = this.miss(asked);
        const json = /json/i.test(req.headers.accept ?? '') && !/text\/plain/i.test(req.headers.accept ?? '');
        const payload = json ? `${JSON.stringify({ error: text.split('\n')[0], asked: `${asked.method} ${asked.target}`, recorded })}\n` : text;
        res.writeHead(MOCK_MISS_STATUS, {
          'content-type': json ? 'application/json' : 'text/plain; charset=utf-8',
          'content-length': Buffer.byteLength(payload),
          [MOCK_HEADER]: 'miss',
        });
        res.end(payload);
        return;
      }
      this.later(found.answer, () => {
        const { status, headers, trailers, body: bytes } = found.answer;
        const flat = headers.flatMap(([name, value]) => [name, value]);
        flat.push(MOCK_HEADER, 'hit');
        if (trailers.length > 0) flat.push('trailer', trailers.map(([name]) => name).join(', '));
        else flat.push('content-length', String(bytes.length));
        res.writeHead(status, flat);
        if (trailers.length > 0) res.addTrailers(trailers);
        res.end(bytes);
      });
    });
  }

  private onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on('error', () => undefined);
    void readBody(stream).then((body) => {
      if (stream.destroyed) return;
      const asked = askedOf(String(headers[':method'] ?? 'GET'), String(headers[':path'] ?? '/'), headers, body);
      const grpc = isGrpc(headers['content-type']);
      const found = body === null ? null : this.options.matcher.match(asked);
      if (found === null) {
        const { text } = this.miss(asked);
        if (grpc) {
          stream.respond(trailersOnly(GRPC.UNIMPLEMENTED, text.split('\n')[0] ?? '', { [MOCK_HEADER]: 'miss' }), { endStream: true });
          return;
        }
        stream.respond({ ':status': MOCK_MISS_STATUS, 'content-type': 'text/plain; charset=utf-8', [MOCK_HEADER]: 'miss' });
        stream.end(text);
        return;
      }
      this.later(found.answer, () => {
        if (stream.destroyed) return;
        const { status, headers: recorded, trailers, body: bytes } = found.answer;
        const out: OutgoingHttpHeaders = { ':status': status };
        for (const [name, value] of recorded) {
          const lower = name.toLowerCase();
          const before = out[lower];
          out[lower] = before === undefined ? value : [...(Array.isArray(before) ? before : [String(before)]), value];
        }
        out[MOCK_HEADER] = 'hit';
        stream.respond(out, { waitForTrailers: trailers.length > 0 });
        if (trailers.length > 0) stream.once('wantTrailers', () => stream.sendTrailers(Object.fromEntries(trailers)));
        stream.end(bytes);
      });
    });
  }

  private miss(asked: AskedRequest): { text: string; recorded: string[] } {
    this.misses++;
    this.recentMisses.unshift({ at: Date.now(), method: asked.method, path: asked.target });
    this.recentMisses.length = Math.min(this.recentMisses.length, MISSES_KEPT);
    this.options.onAnswer();
    return this.options.matcher.explain(this.options.service, this.options.file, asked);
  }

  /** Answers a hit, after the recorded latency when the mock replays it. */
  private later(answer: RecordedAnswer, send: () => void): void {
    this.hits++;
    this.options.onAnswer();
    if (!this.options.replayLatency || answer.ms < 1) return send();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      send();
    }, answer.ms);
    this.timers.add(timer);
  }
}

function askedOf(method: string, target: string, headers: IncomingHttpHeaders, body: Buffer | null): AskedRequest {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    map.set(name, Array.isArray(value) ? value.join(', ') : String(value));
  }
  return { method, target, headers: map, body: body ?? Buffer.alloc(0) };
}

/** The whole request body, or null when it is larger than a mock reads (then it cannot match). */
function readBody(stream: Readable): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    stream.once('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks)));
    stream.once('error', () => resolve(null));
  });
}
