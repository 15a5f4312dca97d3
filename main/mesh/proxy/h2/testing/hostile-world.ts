/**
 * The world the hostile HTTP/2 tests attack (hostile-h2.test.ts): a proxy with an h2c upstream that
 * counts the streams it is sent and an HTTP/1.1 one, the checks that the mesh keeps serving after an
 * attack, a memory watch, and the raw header blocks the attacks are built from.
 */
import { once } from 'node:events';
import http2, { type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { expect, onTestFinished } from 'vitest';
import { echoHandler, startProxy, startUpstream, type ProxyHarness } from '../../testing/harness.js';
import { proxyRequest } from '../../testing/raw-client.js';
import { FIRST_DYNAMIC_INDEX, RawH2, headersFrame, indexed, indexedLiteral, requestBlock } from './raw-h2.js';

/** The proxy's header list limit in these tests (its default, spelled out). */
export const MAX_HEADER_BYTES = 32 * 1024;
/** h2-front.ts's SETTINGS_MAX_CONCURRENT_STREAMS. */
export const MAX_CONCURRENT_STREAMS = 256;
/** What any one attack may add to the process's memory, at its peak: far below what an unbounded proxy would take. */
const MEMORY_BOUND_MIB = 64;
const MIB = 1024 * 1024;

/** An h2c server on 127.0.0.1:0 that counts the streams the proxy opens on it; `/hold/…` streams wait for `release`. */
export class H2cUpstream {
  /** Streams the proxy has opened here in all. */
  streams = 0;
  /** Streams open now, and the most open at once. */
  open = 0;
  peakOpen = 0;
  address = '';
  private readonly server = http2.createServer();
  private readonly held = new Map<ServerHttp2Stream, string>();
  private readonly sessions = new Set<ServerHttp2Session>();

  static async start(): Promise<H2cUpstream> {
    const upstream = new H2cUpstream();
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
    upstream.address = `127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
    onTestFinished(() => upstream.close());
    return upstream;
  }

  private constructor() {
    this.server.on('session', (session: ServerHttp2Session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    this.server.on('stream', this.onStream);
  }

  /** Answers every held stream. */
  release(): void {
    for (const [stream, path] of this.held) answer(stream, path);
    this.held.clear();
  }

  private readonly onStream = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void => {
    const path = headers[':path'] ?? '';
    this.streams++;
    this.open++;
    this.peakOpen = Math.max(this.peakOpen, this.open);
    // The proxy cancels the streams of calls whose client went: that is an error on this side.
    stream.on('error', () => undefined);
    stream.once('close', () => {
      this.open--;
      this.held.delete(stream);
    });
    if (path.startsWith('/hold/')) this.held.set(stream, path);
    else answer(stream, path);
  };

  private close(): Promise<void> {
    for (const session of this.sessions) session.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function answer(stream: ServerHttp2Stream, path: string): void {
  if (stream.destroyed) return;
  stream.respond({ ':status': 200, 'content-type': 'text/plain' });
  stream.end(`web GET ${path}`);
}

export interface World {
  harness: ProxyHarness;
  /** The h2c upstream behind the service `web`. */
  web: H2cUpstream;
}

/** A proxy with `web` (an h2c upstream, what HTTP/2 calls go to) and `plain` (an HTTP/1.1 upstream). */
export async function setUp(): Promise<World> {
  const web = await H2cUpstream.start();
  const plain = await startUpstream(echoHandler('plain'));
  const harness = await startProxy({ limits: { maxHeaderBytes: MAX_HEADER_BYTES } });
  harness.register({ web: [web.address], plain: [plain.address] });
  return { harness, web };
}

/** One GET over a fresh HTTP/2 connection to the proxy's port (Node's client: a well-behaved peer). */
export async function h2Get(port: number, path: string): Promise<{ status: number; body: string }> {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  // A session failure reaches the call too, and that is what is awaited.
  session.on('error', () => undefined);
  try {
    const call = session.request({ ':path': path, ':authority': 'web' });
    call.setEncoding('utf8');
    const [headers] = (await once(call, 'response')) as [IncomingHttpHeaders];
    let body = '';
    for await (const chunk of call) body += chunk as string;
    return { status: Number(headers[':status']), body };
  } finally {
    session.close();
  }
}

/** The attack's connection is done with: other clients are served, over HTTP/2 and HTTP/1.1. */
export async function expectStillServing({ harness }: World): Promise<void> {
  expect(await h2Get(harness.port, '/still-fine')).toEqual({ status: 200, body: 'web GET /still-fine' });
  const plain = await proxyRequest(harness.port, 'http://plain/still-fine');
  expect(plain.status).toBe(200);
  expect(plain.body).toBe('plain GET /still-fine ');
}

/** The attack's connection took no harm: a normal stream opened on it now (`id`) is answered by the upstream. */
export async function expectServesNext(raw: RawH2, id: number): Promise<void> {
  await raw.send(headersFrame(id, requestBlock('web', '/after')));
  await raw.until(() => raw.ended(id), 2_000, `the answer to stream ${id}, opened after the attack`);
  expect(raw.bodyOf(id)).toBe('web GET /after');
  expect(raw.goAway).toBeNull();
}

/**
 * Samples the process's memory (the proxy's, as it runs in this process) every few milliseconds
 * until the returned function is called, which asserts the peak growth stayed under the bound.
 */
export function watchMemory(): () => void {
  const base = process.memoryUsage();
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const now = process.memoryUsage();
    rss = Math.max(rss, now.rss - base.rss);
    heap = Math.max(heap, now.heapUsed + now.external - base.heapUsed - base.external);
  };
  const timer = setInterval(sample, 5);
  return () => {
    clearInterval(timer);
    sample();
    expect(rss / MIB, 'peak growth of the resident set (MiB)').toBeLessThan(MEMORY_BOUND_MIB);
    expect(heap / MIB, 'peak growth of the JS heap and external buffers (MiB)').toBeLessThan(MEMORY_BOUND_MIB);
  };
}

/** Resolves once `condition()` holds, polling; fails the test with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

/** Client stream ids are odd: the nth stream a client opens (from 0). */
export function streamId(n: number): number {
  return 1 + 2 * n;
}

/**
 * A request's header block that references a 4000-byte field in the HPACK dynamic table `references`
 * times; `insert` puts the field there first, which later blocks on the connection need not repeat.
 */
const BOMB_VALUE = 'b'.repeat(4_000);
export function bombBlock(path: string, references: number, insert: boolean): Buffer {
  const fields = [requestBlock('web', path)];
  if (insert) fields.push(indexedLiteral('x-bomb', BOMB_VALUE));
  // One byte each on the wire, 4,038 bytes each in the decoded list (RFC 9113 §6.5.2 counts 32 more a field).
  fields.push(Buffer.concat(Array.from({ length: references }, () => indexed(FIRST_DYNAMIC_INDEX))));
  return Buffer.concat(fields);
}
