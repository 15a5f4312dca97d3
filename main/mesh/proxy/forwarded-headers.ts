/**
 * The headers a proxied message carries across the proxy: the end-to-end headers, minus the
 * hop-by-hop ones (RFC 9110 §7.6.1: Connection and every header it names, Proxy-Connection,
 * Proxy-Authorization, Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade except on upgrades), plus
 * Via and X-Forwarded-*. Requests are built in one pass over Node's raw header list so that
 * duplicates and order survive. Via is also our loop marker: a request that already carries it too
 * often has gone round in a circle.
 */
import type { IncomingMessage } from 'node:http';

export const VIA_MARKER = 'meshdesk';
const VIA_11 = `1.1 ${VIA_MARKER}`;
const VIA_10 = `1.0 ${VIA_MARKER}`;
const VIA_SUFFIX = ` ${VIA_MARKER}`;

const HOP_BY_HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Request headers the proxy consumes itself: Host is rewritten from the target, Expect was already
 * answered with 100 Continue by the proxy's server, and the caller header is ours.
 */
const CONSUMED = new Set(['host', 'expect', 'x-meshdesk-caller']);

export type HeaderMap = Record<string, string | string[]>;

/**
 * `authority` becomes Host (RFC 9112 §3.2.2: a proxy takes it from an absolute URI). With `upgrade`
 * the Upgrade header and `Connection: upgrade` are kept, as an upgrade needs them end to end.
 */
export function upstreamRequestHeaders(req: IncomingMessage, authority: string, upgrade: boolean): HeaderMap {
  const named = connectionNamedHeaders(req.headers.connection);
  const out: HeaderMap = { host: authority };
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (HOP_BY_HOP.has(name) || CONSUMED.has(name) || (named !== null && named.has(name))) continue;
    append(out, name, raw[i + 1] as string);
  }
  if (upgrade) {
    const protocol = req.headers.upgrade;
    if (protocol) {
      out.connection = 'upgrade';
      out.upgrade = protocol;
    }
  }
  append(out, 'via', viaFor(req.httpVersionMinor));
  append(out, 'x-forwarded-for', req.socket.remoteAddress ?? '');
  if (out['x-forwarded-proto'] === undefined) out['x-forwarded-proto'] = 'http';
  if (out['x-forwarded-host'] === undefined) out['x-forwarded-host'] = authority;
  return out;
}

/** Response headers from undici (lower-cased names) made fit for the client. */
export function downstreamResponseHeaders(headers: Record<string, string | string[] | undefined>, upgrade = false): HeaderMap {
  const connection = headers.connection;
  const named = connectionNamedHeaders(connection);
  const out: HeaderMap = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || (named !== null && named.has(name))) continue;
    if (HOP_BY_HOP.has(name) && !(upgrade && (name === 'connection' || name === 'upgrade'))) continue;
    out[name] = value;
  }
  append(out, 'via', VIA_11);
  return out;
}

/** Trailer fields that may be passed on: the same rules as headers, and never framing fields. */
export function forwardableTrailers(trailers: Record<string, string | string[] | undefined>): HeaderMap | null {
  let out: HeaderMap | null = null;
  for (const name in trailers) {
    const value = trailers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || name === 'content-length') continue;
    out ??= {};
    out[name] = value;
  }
  return out;
}

/** How many times this request has already crossed a Meshdesk proxy. */
export function meshHops(via: string | string[] | undefined): number {
  if (via === undefined) return 0;
  const text = Array.isArray(via) ? via.join(',') : via;
  if (!text.includes(VIA_MARKER)) return 0;
  let hops = 0;
  for (const entry of text.split(',')) if (entry.trim().endsWith(VIA_SUFFIX)) hops++;
  return hops;
}

export function viaFor(httpVersionMinor: number): string {
  return httpVersionMinor === 0 ? VIA_10 : VIA_11;
}

function connectionNamedHeaders(connection: string | string[] | undefined): Set<string> | null {
  if (connection === undefined) return null;
  const text = Array.isArray(connection) ? connection.join(',') : connection;
  // The common values name no other header; skip building a set for them.
  if (text === 'keep-alive' || text === 'close' || text === 'Keep-Alive' || text === 'Upgrade') return null;
  const names = new Set<string>();
  for (const name of text.split(',')) names.add(name.trim().toLowerCase());
  return names;
}

function append(headers: HeaderMap, name: string, value: string): void {
  const existing = headers[name];
  if (existing === undefined) headers[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else headers[name] = name === 'via' || name === 'x-forwarded-for' ? `${existing}, ${value}` : [existing, value];
}
