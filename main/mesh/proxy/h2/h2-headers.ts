/**
 * The header blocks of an HTTP/2 call across the mesh. HTTP/2 has no hop-by-hop headers of its own
 * (RFC 9113 §8.2.2 forbids Connection and its kin, and Node refuses them), so what changes is what
 * the mesh itself owns: the pseudo-headers are set for the instance (`:authority` is the service
 * as the client named it, `:scheme` http), Proxy-Authorization and the caller header are consumed,
 * and Via marks the crossing (`2 meshdesk`, counted by the same loop check as HTTP/1.1's).
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import { VIA_MARKER } from '../forwarded-headers.js';

const VIA_2 = `2 ${VIA_MARKER}`;

/** Request headers the mesh consumes or sets itself. */
const CONSUMED = new Set([':method', ':path', ':scheme', ':authority', 'host', 'proxy-authorization', 'x-meshdesk-caller']);

/** Response headers Node sets or refuses to relay. */
const NOT_RELAYED = new Set([':status', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

export function upstreamCallHeaders(headers: IncomingHttpHeaders, path: string, authority: string, clientAddress: string | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {
    ':method': headers[':method'] ?? 'GET',
    ':path': path,
    ':scheme': 'http',
    ':authority': authority,
  };
  for (const name in headers) {
    if (CONSUMED.has(name)) continue;
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  out.via = headers.via === undefined ? VIA_2 : `${String(headers.via)}, ${VIA_2}`;
  const forwardedFor = headers['x-forwarded-for'];
  out['x-forwarded-for'] = forwardedFor === undefined ? (clientAddress ?? '') : `${String(forwardedFor)}, ${clientAddress ?? ''}`;
  return out;
}

/** The instance's response headers (or trailers) as the client gets them, with `:status` when given. */
export function downstreamCallHeaders(headers: IncomingHttpHeaders, status?: number): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = status === undefined ? {} : { ':status': status };
  for (const name in headers) {
    if (NOT_RELAYED.has(name)) continue;
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
