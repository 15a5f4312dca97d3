/**
 * What the proxy says when a client's bytes cannot be parsed as HTTP, or arrive too slowly: Node's
 * parser (llhttp, strict mode) finds the fault and emits 'clientError'; this answers it with a
 * status and a body that says what was wrong, then closes that one connection. Everything else keeps
 * being served. Conflicting Content-Length and Transfer-Encoding (request smuggling) are refused
 * here, before a request exists, so nothing of such a message ever reaches an upstream.
 */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExchangeReporter } from './exchange-reporter.js';
import { writeRawError, type ProxyFailure } from './proxy-error.js';

/** The proxy's 'clientError' handler, for the listener and the tunnel server alike. */
export class ClientErrors {
  /** Sockets whose request body turned out malformed mid-stream, and what the client was told. */
  private readonly brokenBodies = new WeakMap<Duplex, ProxyFailure>();

  constructor(
    private readonly events: ExchangeReporter,
    private readonly maxHeaderBytes: number,
  ) {}

  /** What the client of a request whose body broke mid-stream was told, for its exchange's event. */
  brokenBody(socket: Duplex): ProxyFailure | undefined {
    return this.brokenBodies.get(socket);
  }

  readonly onClientError = (error: NodeJS.ErrnoException, socket: Duplex): void => {
    try {
      if (socket.writableEnded || socket.destroyed) return; // already answered; the parser repeats itself
      const failure = clientErrorFailure(error, this.maxHeaderBytes);
      if (failure === null) {
        socket.destroy();
        return;
      }
      const inFlight = inFlightResponse(socket);
      if (inFlight !== null && !inFlight.headersSent && !inFlight.req.complete) {
        // The request was already being forwarded when its body turned out malformed: the client
        // gets the 400, the exchange ends as the connection closes and reports the same.
        writeRawError(socket, inFlight.req.headers, failure);
        this.brokenBodies.set(socket, failure);
        return;
      }
      if (inFlight !== null) {
        // An earlier answer is on this connection (pipelining): an error written now would be read
        // as part of it, so the connection is only closed.
        socket.destroy();
      } else {
        writeRawError(socket, null, failure);
      }
      this.events.record(null, {
        ...failure,
        kind: 'proxy',
        service: '',
        version: null,
        path: '',
        error: failure.cause,
        start: performance.now(),
        dispatched: null,
        firstByte: null,
        bytesIn: 0,
        bytesOut: 0,
      });
    } catch {
      socket.destroy();
    }
  };
}

/** A parse failure and the status it earns. */
export function clientErrorFailure(error: NodeJS.ErrnoException, maxHeaderBytes: number): ProxyFailure | null {
  const code = error.code ?? '';
  const failure = (status: number, cause: string): ProxyFailure => ({ status, service: null, instance: null, cause });
  switch (code) {
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'HPE_INVALID_EOF_STATE': // the connection ended in the middle of a message
      return null; // the client is gone; there is nobody to answer
    case 'HPE_HEADER_OVERFLOW':
      return failure(431, `request headers too large (limit ${maxHeaderBytes} bytes)`);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return failure(408, 'request headers not received in time');
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return failure(400, 'request has both Content-Length and Transfer-Encoding (refused: request smuggling)');
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return failure(400, 'invalid Transfer-Encoding');
    case 'HPE_INVALID_CONTENT_LENGTH':
      return failure(400, 'invalid Content-Length');
    case 'HPE_INVALID_CHUNK_SIZE':
      return failure(400, 'malformed chunked request body (invalid chunk size)');
    case 'HPE_INVALID_METHOD':
    case 'HPE_INVALID_URL':
    case 'HPE_INVALID_VERSION':
    case 'HPE_INVALID_CONSTANT':
      return failure(400, 'malformed request line');
    default:
      return failure(400, `malformed request (${code || error.message})`);
  }
}

/**
 * The response already in flight on this socket, if any. Node's own default 'clientError' handler
 * makes the same check on the same field: once a response has started, writing an error response
 * on the socket would corrupt it, so the connection is only closed.
 */
export function inFlightResponse(socket: Duplex): ServerResponse | null {
  return (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage ?? null;
}
