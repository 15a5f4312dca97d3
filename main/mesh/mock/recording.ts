/**
 * A HAR file's entries for one service, made ready to replay: each request's matching facts (method,
 * path, sorted query, body hash, headers) and its answer as bytes. Entries that cannot be replayed
 * faithfully are left out with the reason, never served half: another service's, a refusal or a
 * proxy error (nothing answered), a body cut at the capture limit (the HAR holds only its start), a
 * masked header value stays out of the answer (the log never held it).
 */
import { createHash } from 'node:crypto';
import { parseHar, type HarEntryInput } from '../../../shared/har-input.js';

export interface RecordedRequest {
  method: string;
  path: string;
  /** `a=1&b=2`, parameters sorted, so their order does not matter. */
  query: string;
  /** SHA-256 (hex) of the body; null for a request without one. */
  bodyHash: string | null;
  /** Lower-case name → values joined by `, `. */
  headers: ReadonlyMap<string, string>;
}

export interface RecordedAnswer {
  status: number;
  /** In order, repeats kept, without hop-by-hop headers, Content-Length or masked values. */
  headers: readonly [string, string][];
  /** gRPC answers: the status and message the call ended with (sent as trailers). */
  trailers: readonly [string, string][];
  body: Buffer;
  /** Milliseconds the exchange took when it was recorded. */
  ms: number;
}

export interface RecordedEntry {
  request: RecordedRequest;
  answer: RecordedAnswer;
}

export interface Recording {
  entries: RecordedEntry[];
  /** Why entries were left out, one line per reason with its count. */
  skipped: string[];
}

/** Headers a replayed answer never carries: hop-by-hop, or recomputed for the bytes sent. */
const NOT_REPLAYED = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'content-length', 'trailer', 'te', 'via']);
/** gRPC sends these after the body (trailers); the log keeps them with the headers. */
const GRPC_TRAILERS = new Set(['grpc-status', 'grpc-message', 'grpc-status-details-bin']);
const MASKED = '[masked]';

/** Reads a HAR file's text into the service's replayable entries; throws when the text is not HAR. */
export function readRecording(text: string, service: string): Recording {
  const har = parseHar(text);
  const entries: RecordedEntry[] = [];
  const reasons = new Map<string, number>();
  for (const entry of har.log.entries) {
    const result = recordedEntry(entry, service);
    if (typeof result === 'string') reasons.set(result, (reasons.get(result) ?? 0) + 1);
    else entries.push(result);
  }
  return { entries, skipped: [...reasons].map(([reason, count]) => `${count} ${count === 1 ? 'entry' : 'entries'}: ${reason}`) };
}

function recordedEntry(entry: HarEntryInput, service: string): RecordedEntry | string {
  let url: URL;
  try {
    url = new URL(entry.request.url);
  } catch {
    return `not a URL: ${entry.request.url}`;
  }
  const mesh = entry._meshdesk ?? {};
  const named = typeof mesh['service'] === 'string' ? mesh['service'] : serviceOfHost(url.hostname);
  if (named !== service) return 'another service';
  if (entry.request.method === 'CONNECT') return 'a tunnel (no request inside it was seen)';
  if (entry.response.status === 0 || (typeof mesh['error'] === 'string' && mesh['status'] === 0)) return 'no answer was recorded';
  const comment = `${entry.comment ?? ''} ${entry.response.content.comment ?? ''}`;
  if (/cut at the capture limit/.test(comment) || /dropped to keep the log/.test(comment)) return 'a body was cut at the capture limit or dropped';
  if (mesh['version'] === 'recorded') return 'an answer a mock gave (recorded from a recording)';
  const content = entry.response.content;
  if (content.text === undefined && (content.size ?? 0) > 0) return 'the response body was not captured';
  const requestBody = postDataBytes(entry.request.postData);
  const headers = new Map<string, string>();
  for (const { name, value } of entry.request.headers) {
    const lower = name.toLowerCase();
    headers.set(lower, headers.has(lower) ? `${headers.get(lower)}, ${value}` : value);
  }
  const grpc = isGrpcEntry(entry);
  const answerHeaders: [string, string][] = [];
  const trailers: [string, string][] = [];
  for (const { name, value } of entry.response.headers) {
    const lower = name.toLowerCase();
    if (NOT_REPLAYED.has(lower) || lower.startsWith(':') || value === MASKED || value.startsWith(`${MASKED} `)) continue;
    if (grpc && GRPC_TRAILERS.has(lower)) trailers.push([lower, value]);
    else answerHeaders.push([name, value]);
  }
  if (grpc && trailers.length === 0) trailers.push(...grpcTrailersOf(mesh['grpc']));
  const body = content.text === undefined ? Buffer.alloc(0) : Buffer.from(content.text, content.encoding === 'base64' ? 'base64' : 'utf8');
  return {
    request: {
      method: entry.request.method.toUpperCase(),
      path: url.pathname,
      query: sortedQuery(url.searchParams),
      bodyHash: requestBody === null || requestBody.length === 0 ? null : sha256(requestBody),
      headers,
    },
    answer: { status: entry.response.status, headers: answerHeaders, trailers, body, ms: Math.max(0, entry.time ?? 0) },
  };
}

/** `world`, `world.localhost`, `world.svc`: the service a host names (its first label). */
function serviceOfHost(hostname: string): string {
  return hostname.toLowerCase().split('.')[0] ?? '';
}

/** The request body's bytes: har.ts marks a binary body (base64) in postData's comment. */
function postDataBytes(postData: HarEntryInput['request']['postData']): Buffer | null {
  if (postData?.text === undefined) return null;
  const base64 = (postData as { encoding?: unknown }).encoding === 'base64' || /^base64/.test(postData.comment ?? '');
  return Buffer.from(postData.text, base64 ? 'base64' : 'utf8');
}

function isGrpcEntry(entry: HarEntryInput): boolean {
  const type = entry.response.headers.find(({ name }) => name.toLowerCase() === 'content-type')?.value ?? entry.response.content.mimeType ?? '';
  return /^application\/grpc/i.test(type) || entry._meshdesk?.['grpc'] !== undefined;
}

function grpcTrailersOf(outcome: unknown): [string, string][] {
  const { status, message } = (outcome ?? {}) as { status?: unknown; message?: unknown };
  const trailers: [string, string][] = [['grpc-status', String(typeof status === 'number' ? status : 0)]];
  if (typeof message === 'string' && message !== '') trailers.push(['grpc-message', encodeURIComponent(message)]);
  return trailers;
}

export function sortedQuery(params: URLSearchParams): string {
  const sorted = new URLSearchParams([...params].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1)));
  return sorted.toString();
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
