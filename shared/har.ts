/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) from the request log's exchanges, so a
 * filtered log opens in a browser's network panel, HTTP Toolkit, Charles or any HAR viewer.
 *
 * Written for what the mesh knows, and honest about what it does not: header sizes are -1
 * (unknown), DNS and TLS are -1 (the proxy does neither on the way to a local instance), and a body
 * the capture cut is exported as far as it was kept, with the cut said in the entry's comment.
 * Masked header values stay masked ("[masked]"): an export must not leak what the log never held.
 * Mesh facts that HAR has no field for (caller, service@version, attempts) go in `_meshdesk`, the
 * spec's place for custom fields (names starting with an underscore).
 */
import { MASKED_VALUE, type Exchange, type WireBody } from './exchange.js';

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    queryString: HarNameValue[];
    postData?: { mimeType: string; text: string; comment?: string };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    content: { size: number; mimeType: string; text?: string; encoding?: string; comment?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { blocked: number; dns: number; connect: number; send: number; wait: number; receive: number; ssl: number };
  serverIPAddress?: string;
  comment?: string;
  _meshdesk: Record<string, unknown>;
}

export interface Har {
  log: { version: '1.2'; creator: { name: string; version: string }; entries: HarEntry[]; comment?: string };
}

export interface HarOptions {
  /** The mesh's version, for `creator`. */
  version: string;
  /** Says what the export holds, e.g. the filter words. */
  comment?: string;
}

/** A HAR log of the exchanges, oldest first (the order a network panel shows). */
export function exchangesToHar(exchanges: readonly Exchange[], options: HarOptions): Har {
  const entries = [...exchanges].sort((a, b) => a.startedAt - b.startedAt || a.id - b.id).map(harEntry);
  return {
    log: {
      version: '1.2',
      creator: { name: 'Meshdesk', version: options.version },
      entries,
      ...(options.comment ? { comment: options.comment } : {}),
    },
  };
}

export function harEntry(exchange: Exchange): HarEntry {
  const requestHeaders = nameValues(exchange.requestHeaders);
  const responseHeaders = nameValues(exchange.responseHeaders);
  const url = exchangeUrl(exchange);
  const cut = [exchange.requestBody?.truncated && 'request', exchange.responseBody?.truncated && 'response'].filter(Boolean);
  const notes = [
    cut.length > 0 ? `the ${cut.join(' and ')} body was cut at the capture limit` : '',
    exchange.bodiesDropped ? 'bodies were dropped to keep the log within its memory budget' : '',
    exchange.error ? `proxy error: ${exchange.error}` : '',
    ...tunnelNotes(exchange),
  ].filter(Boolean);
  const location = header(responseHeaders, 'location');
  const entry: HarEntry = {
    startedDateTime: new Date(exchange.startedAt).toISOString(),
    time: round(exchange.timings.end),
    request: {
      method: exchange.method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies: requestCookies(header(requestHeaders, 'cookie')),
      headers: requestHeaders,
      queryString: queryString(url),
      headersSize: -1,
      bodySize: exchange.requestBody?.size ?? exchange.bytesIn,
    },
    response: {
      status: exchange.status,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: responseCookies(responseHeaders),
      headers: responseHeaders,
      content: content(exchange.responseBody, header(responseHeaders, 'content-type'), exchange.bytesOut),
      redirectURL: location ?? '',
      headersSize: -1,
      bodySize: exchange.responseBody?.size ?? exchange.bytesOut,
    },
    cache: {},
    timings: harTimings(exchange.timings),
    _meshdesk: meshFields(exchange),
  };
  const posted = exchange.requestBody;
  if (posted && posted.size > 0) {
    entry.request.postData = { mimeType: header(requestHeaders, 'content-type') ?? '', text: posted.data };
    if (posted.encoding === 'base64') entry.request.postData.comment = 'base64: the request body is binary';
  }
  const server = exchange.instance?.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  // HAR 1.2 wants an IP address here; external traffic names a host, which has none to give.
  if (server && isIpAddress(server)) entry.serverIPAddress = server;
  if (notes.length > 0) entry.comment = notes.join('; ');
  return entry;
}

/** The URL the caller asked for: `http://world/path` for a service, the host itself for external traffic. */
export function exchangeUrl(exchange: Pick<Exchange, 'service' | 'path' | 'method'>): string {
  if (/^https?:\/\//i.test(exchange.path)) return exchange.path;
  if (exchange.method === 'CONNECT') return `https://${exchange.path || exchange.service}/`;
  return `http://${exchange.service}${exchange.path.startsWith('/') ? exchange.path : `/${exchange.path}`}`;
}

/**
 * Phases from the event's timings (milliseconds from arrival): queued in the proxy until dispatched
 * (blocked), connecting when the event says when the connection was ready, waiting for the first
 * byte, receiving until the end. Phases never reached are 0, so they add up to `time`.
 */
export function harTimings(timings: Exchange['timings']): HarEntry['timings'] {
  const end = Math.max(0, timings.end);
  const dispatched = clamp(timings.dispatched ?? end, 0, end);
  const connected = typeof timings.connected === 'number' ? clamp(timings.connected, dispatched, end) : dispatched;
  const firstByte = timings.firstByte === null ? end : clamp(timings.firstByte, connected, end);
  return {
    blocked: round(dispatched),
    dns: -1,
    connect: typeof timings.connected === 'number' ? round(connected - dispatched) : -1,
    send: 0,
    wait: round(firstByte - connected),
    receive: round(end - firstByte),
    ssl: -1,
  };
}

/** How the request reached the mesh, when it came inside a client's CONNECT tunnel. */
function tunnelNotes(exchange: Exchange): string[] {
  const flags: unknown = exchange['flags'];
  if (!Array.isArray(flags)) return [];
  if (flags.includes('opaque')) return ['an opaque TLS tunnel to the service: the mesh could not see the requests inside it'];
  if (flags.includes('tunnelled')) return ["sent inside the client's CONNECT tunnel to the service, served by the mesh request by request"];
  return [];
}

function meshFields(exchange: Exchange): Record<string, unknown> {
  const known = new Set(['requestHeaders', 'responseHeaders', 'requestBody', 'responseBody', 'method', 'path', 'status', 'startedAt', 'timings']);
  // Everything else the mesh said about the exchange, including fields newer than this module.
  return Object.fromEntries(Object.entries(exchange).filter(([key]) => !known.has(key)));
}

function content(body: WireBody | null, mimeType: string | undefined, bytesOut: number): HarEntry['response']['content'] {
  const result: HarEntry['response']['content'] = { size: body?.size ?? bytesOut, mimeType: mimeType ?? 'x-unknown' };
  if (body) {
    result.text = body.data;
    if (body.encoding === 'base64') result.encoding = 'base64';
  }
  if (body?.truncated) result.comment = `cut at the capture limit: ${kept(body)} of ${body.size} bytes kept`;
  return result;
}

function kept(body: WireBody): number {
  if (body.encoding === 'utf8') return new TextEncoder().encode(body.data).length;
  const padding = body.data.endsWith('==') ? 2 : body.data.endsWith('=') ? 1 : 0;
  return (body.data.length / 4) * 3 - padding;
}

function nameValues(pairs: [string, string][] | null): HarNameValue[] {
  return (pairs ?? []).map(([name, value]) => ({ name, value }));
}

function header(headers: HarNameValue[], name: string): string | undefined {
  return headers.find((candidate) => candidate.name.toLowerCase() === name)?.value;
}

function queryString(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function requestCookies(cookie: string | undefined): HarNameValue[] {
  if (!cookie || cookie.startsWith(MASKED_VALUE)) return [];
  return cookie
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? { name: part, value: '' } : { name: part.slice(0, eq), value: part.slice(eq + 1) };
    });
}

function responseCookies(headers: HarNameValue[]): HarNameValue[] {
  return headers
    .filter((candidate) => candidate.name.toLowerCase() === 'set-cookie' && !candidate.value.startsWith(MASKED_VALUE))
    .map((candidate) => {
      const pair = candidate.value.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      return eq < 0 ? { name: pair.trim(), value: '' } : { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1) };
    });
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** A literal IPv4 or IPv6 address (shared code runs in the browser too, so no node:net). */
function isIpAddress(host: string): boolean {
  if (/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(host)) return true;
  return host.includes(':') && /^[0-9a-f:.]+$/i.test(host);
}
