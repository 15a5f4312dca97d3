/**
 * The headers a proxied request carries upstream: the client's end-to-end headers, minus the
 * hop-by-hop ones (RFC 9110 §7.6.1), plus Via and X-Forwarded-*. Built in one pass over Node's raw
 * header list so that duplicates and order survive and nothing is allocated twice.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** Our Via marker; also how a request that loops through the proxy is recognised. */
export const VIA_MARKER = 'meshdesk';
const VIA_VALUE = `1.1 ${VIA_MARKER}`;

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

export function upstreamRequestHeaders(req: IncomingMessage, forwardedHost: string): Record<string, string | string[]> {
  const named = connectionNamedHeaders(req.headers);
  const out: Record<string, string | string[]> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (HOP_BY_HOP.has(name) || named?.has(name) || name === 'x-meshdesk-caller') continue;
    append(out, name, raw[i + 1] as string);
  }
  append(out, 'via', VIA_VALUE);
  append(out, 'x-forwarded-for', req.socket.remoteAddress ?? '');
  if (!out['x-forwarded-proto']) out['x-forwarded-proto'] = 'http';
  if (!out['x-forwarded-host']) out['x-forwarded-host'] = forwardedHost;
  return out;
}

export function downstreamResponseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const named = connectionNamedHeaders(headers);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || named?.has(name)) continue;
    out[name] = value;
  }
  append(out, 'via', VIA_VALUE);
  return out;
}

/** How many times this request has already crossed a Meshdesk proxy. */
export function meshHops(via: string | undefined): number {
  if (!via) return 0;
  let hops = 0;
  for (const entry of via.split(',')) if (entry.trim().endsWith(` ${VIA_MARKER}`)) hops++;
  return hops;
}

function connectionNamedHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Set<string> | null {
  const connection = headers.connection;
  if (!connection) return null;
  const names = (Array.isArray(connection) ? connection.join(',') : connection).split(',');
  return new Set(names.map((name) => name.trim().toLowerCase()));
}

function append(headers: Record<string, string | string[]>, name: string, value: string): void {
  const existing = headers[name];
  if (existing === undefined) headers[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else headers[name] = name === 'via' || name === 'x-forwarded-for' ? `${existing}, ${value}` : [existing, value];
}
