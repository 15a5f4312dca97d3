/**
 * When a failed attempt may be tried again. The rule that keeps retries safe: a request may be
 * replayed if it never left — no byte of it reached the upstream — or if it is idempotent and has
 * no body (its body is a stream the first attempt consumed; it is not buffered to be sent twice).
 *
 * How we know it never left: the proxy's exchange is undici's dispatch handler, and undici calls
 * `onRequestStart` just before it writes the request to a connected socket. An attempt that failed
 * without that call (connection refused, connect timeout) wrote nothing, and its body stream was
 * not read, so it can go anywhere again — even a POST with a body.
 */

/** RFC 9110 §9.2.2. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE', 'QUERY']);

export function isIdempotent(method: string | undefined): boolean {
  return method !== undefined && IDEMPOTENT.has(method);
}

/**
 * `refused`: nothing listens (a restarting dev server). `connect`: the connection could not be made.
 * `reset`: the connection broke before any answer. Null: not a connection failure (a timeout, a
 * malformed answer, the proxy shutting down), never retried.
 */
export type ConnectionFailure = 'refused' | 'connect' | 'reset' | null;

const KINDS: Readonly<Record<string, ConnectionFailure>> = {
  ECONNREFUSED: 'refused',
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  ETIMEDOUT: 'connect',
  EHOSTUNREACH: 'connect',
  ENETUNREACH: 'connect',
  EADDRNOTAVAIL: 'connect',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
};

export function connectionFailureOf(error: Error): ConnectionFailure {
  const code = (error as NodeJS.ErrnoException).code;
  return code === undefined ? null : (KINDS[code] ?? null);
}

/** Errors that say nothing about the instance: they must not count towards its ejection. */
const NOT_THE_INSTANCE = new Set([
  'UND_ERR_DESTROYED',
  'UND_ERR_CLOSED',
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_ABORTED',
]);

export function blamesInstance(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === undefined || !NOT_THE_INSTANCE.has(code);
}

/** May the attempt that failed be sent again? See the header. */
export function replayable(left: boolean, idempotent: boolean, hasBody: boolean): boolean {
  return !left || (idempotent && !hasBody);
}
