/**
 * Sends one copy of a finished exchange's request straight to an instance and reads its answer, as
 * far as the log would capture it, and compares that answer with the primary's when asked: where
 * the copies run on a thread of their own, so does the comparison (decoding and parsing both
 * bodies, 30–240 µs a pair for 0.1–14 KB of JSON), instead of on the thread serving the callers.
 * Straight, not through the proxy listener: a copy routed through the proxy would be parsed twice and take a slot of the caller's upstream pools, on the thread
 * that serves the caller. Its own keep-alive agent, with few connections per instance, keeps the
 * copies from competing with the callers' connections at the instance too.
 */
import { Agent } from '../proxy/undici-engine.js';
import type { CapturedBody, RawHeaders } from '../../../shared/exchange.js';
import { ROUTE_OVERRIDE_HEADER } from '../../../shared/routes.js';
import { SHADOW_HEADER } from '../../../shared/shadow.js';
import { VIA_MARKER } from '../proxy/forwarded-headers.js';
import { BodyCapture } from '../telemetry/exchange-capture.js';
import type { Answer, RawDifference } from './diff/answer.js';
import { compareAnswers } from './diff/compare-answers.js';
import { H2Copies } from './h2-copy.js';

/** Headers of the caller's request that describe its own connection or are the mesh's, not the copy's. */
const NOT_COPIED = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'content-length',
  'x-meshdesk-caller',
  ROUTE_OVERRIDE_HEADER,
  SHADOW_HEADER,
]);

export interface CopiedRequest {
  method: string;
  path: string;
  /** The caller's request headers as captured (raw pairs). */
  headers: RawHeaders;
  body: Uint8Array | null;
  /** `h2` for a call that came over HTTP/2 (gRPC): its copy goes over HTTP/2 too. */
  protocol?: 'h2';
}

export interface CopyAnswer {
  status: number;
  error: string | null;
  /** Raw [name, value, …] as the instance sent them. */
  headers: string[];
  body: CapturedBody | null;
  /** Milliseconds from sending to the first response byte (headers), and to the end. */
  firstByteMs: number | null;
  ms: number;
}

/** What a copy's answer is compared with: the primary's answer, and the headers left out of the verdict. */
export interface Comparison {
  primary: Answer;
  ignoredHeaders: readonly string[];
}

export interface ComparedAnswer extends CopyAnswer {
  /** The answer against the comparison `send` was given; null when it was given none, or the copy never left. */
  differences: RawDifference[] | null;
}

/** What the shadow sender needs of whatever sends its copies (on this thread, or on a worker's). */
export interface CopySending {
  send(address: string, copy: CopiedRequest, comparison?: Comparison | null): Promise<ComparedAnswer>;
  close(): Promise<void>;
}

/** A copy's answer as the diff engine reads it. */
export function answerOfCopy(answer: CopyAnswer): Answer {
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < answer.headers.length; i += 2) headers.push([answer.headers[i] as string, answer.headers[i + 1] as string]);
  const body = answer.body && answer.body.size > 0 ? answer.body : null;
  return { status: answer.status, error: answer.error, headers, body: body?.bytes ?? null, bodyTruncated: body?.truncated ?? false };
}

export function compareWith(comparison: Comparison, answer: CopyAnswer): RawDifference[] {
  return compareAnswers(comparison.primary, answerOfCopy(answer), new Set(comparison.ignoredHeaders));
}

export class CopySender implements CopySending {
  private readonly agent: Agent;
  private readonly h2: H2Copies;

  constructor(private readonly options: { captureBodyBytes: number; timeoutMs: number; connectionsPerInstance: number }) {
    this.agent = new Agent({
      connections: options.connectionsPerInstance,
      connectTimeout: options.timeoutMs,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 4_000,
    });
    this.h2 = new H2Copies(options);
  }

  async send(address: string, copy: CopiedRequest, comparison: Comparison | null = null): Promise<ComparedAnswer> {
    const answer = await this.answer(address, copy);
    return { ...answer, differences: comparison === null ? null : compareWith(comparison, answer) };
  }

  private async answer(address: string, copy: CopiedRequest): Promise<CopyAnswer> {
    if (copy.protocol === 'h2') return this.h2.send(address, copy);
    const started = performance.now();
    let firstByteMs: number | null = null;
    try {
      const response = await this.agent.request({
        origin: `http://${address}`,
        path: copy.path,
        method: copy.method as 'GET',
        headers: copyHeaders(copy.headers),
        body: copy.body && copy.body.length > 0 ? copy.body : null,
      });
      firstByteMs = performance.now() - started;
      const capture = new BodyCapture(this.options.captureBodyBytes);
      for await (const chunk of response.body) capture.push(chunk as Buffer);
      return {
        status: response.statusCode,
        error: null,
        headers: rawResponseHeaders(response.headers),
        body: capture.result(),
        firstByteMs,
        ms: performance.now() - started,
      };
    } catch (error) {
      return { status: 0, error: describe(error), headers: [], body: null, firstByteMs, ms: performance.now() - started };
    }
  }

  /** Cuts copies still in flight: nobody waits for them, and a hung version must not hold up a stop. */
  close(): Promise<void> {
    this.h2.close();
    return this.agent.destroy();
  }
}

/** The caller's headers minus hop-by-hop and the mesh's own, marked as a shadow copy. */
function copyHeaders(raw: RawHeaders): string[] {
  const headers: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (NOT_COPIED.has(name.toLowerCase()) || name.startsWith(':')) continue;
    headers.push(name, raw[i + 1] as string);
  }
  headers.push(SHADOW_HEADER, '1', 'via', `1.1 ${VIA_MARKER}`);
  return headers;
}

function rawResponseHeaders(headers: Record<string, string | string[] | undefined>): string[] {
  const raw: string[] = [];
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const each of value) raw.push(name, each);
    else raw.push(name, value);
  }
  return raw;
}

function describe(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timed out';
  return error instanceof Error ? error.message : String(error);
}
