/**
 * Turns what went wrong on the way to an upstream into the status the client gets and a cause a
 * person can act on. Matched by error code, not class, so it serves undici's errors and plain
 * socket errors (tunnels, upgrades) alike.
 */
export interface UpstreamFailure {
  status: number;
  cause: string;
}

const BY_CODE: Readonly<Record<string, UpstreamFailure>> = {
  ECONNREFUSED: { status: 502, cause: 'connection refused' },
  ECONNRESET: { status: 502, cause: 'upstream reset the connection' },
  EPIPE: { status: 502, cause: 'upstream closed the connection' },
  ENOTFOUND: { status: 502, cause: 'host not found' },
  EAI_AGAIN: { status: 502, cause: 'host name lookup failed' },
  EHOSTUNREACH: { status: 502, cause: 'host unreachable' },
  ENETUNREACH: { status: 502, cause: 'network unreachable' },
  EADDRNOTAVAIL: { status: 502, cause: 'address not available' },
  ETIMEDOUT: { status: 504, cause: 'connecting to the upstream timed out' },
  UND_ERR_CONNECT_TIMEOUT: { status: 504, cause: 'connecting to the upstream timed out' },
  UND_ERR_HEADERS_TIMEOUT: { status: 504, cause: 'upstream timed out before sending response headers' },
  UND_ERR_BODY_TIMEOUT: { status: 504, cause: 'upstream stalled while sending the response body' },
  UND_ERR_SOCKET: { status: 502, cause: 'upstream reset the connection' },
  UND_ERR_HEADERS_OVERFLOW: { status: 502, cause: 'upstream response headers too large' },
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: { status: 502, cause: 'upstream response body shorter than its Content-Length' },
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: { status: 400, cause: 'request body does not match its Content-Length' },
  UND_ERR_INVALID_ARG: { status: 400, cause: 'request cannot be forwarded' },
  UND_ERR_NOT_SUPPORTED: { status: 400, cause: 'request cannot be forwarded' },
  UND_ERR_DESTROYED: { status: 503, cause: 'proxy is shutting down' },
  UND_ERR_CLOSED: { status: 503, cause: 'proxy is shutting down' },
  HPE_INVALID_CONSTANT: { status: 502, cause: 'upstream sent a malformed response' },
};

export function classifyUpstreamError(error: Error): UpstreamFailure {
  const code = (error as NodeJS.ErrnoException).code;
  const known = code === undefined ? undefined : BY_CODE[code];
  if (known !== undefined) {
    // Invalid-argument errors say which header or path was refused; keep that detail.
    if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') return { status: 400, cause: `${known.cause}: ${error.message}` };
    return known;
  }
  if (error.name === 'HTTPParserError' || (code !== undefined && code.startsWith('HPE_'))) {
    return { status: 502, cause: 'upstream sent a malformed response' };
  }
  if (error.name === 'RangeError' || error.name === 'TypeError') {
    // Node refused to relay what the upstream sent (a status or header it will not write).
    return { status: 502, cause: `upstream sent a response the proxy cannot relay: ${error.message}` };
  }
  return { status: 502, cause: error.message || 'upstream failed' };
}
