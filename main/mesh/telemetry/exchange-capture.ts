/**
 * Captured headers and bodies, made safe to show. This is where secrets are masked: every way an
 * exchange leaves the request log passes here, so an Authorization or a Cookie value never reaches
 * the UI, the push stream or a saved log unless one exchange is revealed on purpose. Bodies are cut
 * to the per-direction limit here too (a view: the log copies what it keeps into its byte ring).
 *
 * BodyCapture is for the proxy: it keeps the first bytes of a streamed body as the chunks pass,
 * without buffering the rest.
 */
import { MASKED_VALUE, type CapturedBody, type RawHeaders, type WireBody } from '../../../shared/exchange.js';

/** The same array when nothing needs masking (the common case), else a copy with values masked. */
export function maskHeaders(headers: RawHeaders, masked: ReadonlySet<string>): RawHeaders {
  let copy: string[] | null = null;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (!masked.has((headers[i] as string).toLowerCase())) continue;
    copy ??= [...headers];
    copy[i + 1] = MASKED_VALUE;
  }
  return copy ?? headers;
}

export function limitBody(body: CapturedBody, limit: number): CapturedBody {
  if (body.bytes.length <= limit) return body;
  return { bytes: body.bytes.subarray(0, limit), size: body.size, truncated: true };
}

export function headerPairs(headers: RawHeaders | null): [string, string][] | null {
  if (!headers) return null;
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([headers[i] as string, headers[i + 1] as string]);
  return pairs;
}

/** Text when the bytes are UTF-8 (a cut at the limit may split a character: that tail is left out). */
export function wireBody(body: CapturedBody | null): WireBody | null {
  if (!body) return null;
  try {
    const data = new TextDecoder('utf-8', { fatal: true }).decode(body.bytes, { stream: body.truncated });
    return { encoding: 'utf8', data, size: body.size, truncated: body.truncated };
  } catch {
    return { encoding: 'base64', data: Buffer.from(body.bytes).toString('base64'), size: body.size, truncated: body.truncated };
  }
}

const NO_BYTES = Buffer.alloc(0);

/**
 * Keeps the first `limit` bytes of a body streamed in chunks, and counts them all. Most bodies come
 * in one chunk: it is held on its own, and a list is made only for a second one (a list made empty
 * grows a 17-slot store on its first push, for every captured body).
 */
export class BodyCapture {
  private first: Buffer | null = null;
  private more: Buffer[] | null = null;
  private keptBytes = 0;
  private size = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Uint8Array): void {
    this.size += chunk.length;
    const room = this.limit - this.keptBytes;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    // Copied: the proxy's chunk buffers are reused or large; a view would pin them.
    const copy = Buffer.from(part);
    if (this.first === null) this.first = copy;
    else (this.more ??= []).push(copy);
    this.keptBytes += part.length;
  }

  result(): CapturedBody {
    // One chunk (most bodies) is already its own copy.
    const { first, more } = this;
    const bytes = first === null ? NO_BYTES : more === null ? first : Buffer.concat([first, ...more], this.keptBytes);
    return { bytes, size: this.size, truncated: this.size > this.keptBytes };
  }
}
