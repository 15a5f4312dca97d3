/**
 * Requests whose framing or target cannot be trusted, refused with 400 before anything is routed.
 * Node's llhttp already refuses malformed request lines and conflicting Content-Length /
 * Transfer-Encoding; these are the cases it lets through, each one a request-smuggling or
 * confusion risk for the upstream behind us:
 * - HTTP/1.0 with Transfer-Encoding (RFC 9112 §6.1: treat the framing as faulty and close): an
 *   HTTP/1.0 peer may delimit the body differently from us, so the bytes after it could be read as
 *   a second, smuggled request;
 * - more than one Host (RFC 9112 §3.2: 400): Node keeps the first, an upstream may take the last;
 * - HTTP/0.9 request lines (no version), which llhttp accepts and nothing we forward to speaks.
 * The caller closes the connection after answering, so nothing after a refused request is read.
 */
import type { IncomingMessage } from 'node:http';

export function framingError(req: IncomingMessage): string | null {
  if (req.httpVersionMajor !== 1) return 'malformed request line (HTTP/0.9 is not supported)';
  if (req.httpVersionMinor === 0 && req.headers['transfer-encoding'] !== undefined) {
    return 'Transfer-Encoding in an HTTP/1.0 request: its body framing cannot be trusted (RFC 9112 §6.1)';
  }
  if (repeatsHost(req.rawHeaders)) return 'more than one Host header (RFC 9112 §3.2)';
  return null;
}

/** Scans the raw headers once; the length test keeps the per-request cost to a few compares. */
function repeatsHost(rawHeaders: readonly string[]): boolean {
  let seen = false;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length !== 4 || name.toLowerCase() !== 'host') continue;
    if (seen) return true;
    seen = true;
  }
  return false;
}
