/**
 * Sends one client request to one upstream and streams the answer back. Bodies flow through in
 * both directions without being buffered; a client that goes away aborts the upstream request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, type Dispatcher } from 'undici';
import { downstreamResponseHeaders } from './forwarded-headers.js';

export interface ForwardResult {
  status: number;
  error: string | null;
  /** Why the proxy failed, as an HTTP status for the client, when it did before the response began. */
  failureStatus: number | null;
  dispatched: number;
  firstByte: number | null;
}

export function forward(
  pool: Dispatcher,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  headers: Record<string, string | string[]>,
): Promise<ForwardResult> {
  const abort = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) abort.abort();
  };
  res.once('close', onClose);
  const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  const dispatched = performance.now();
  let firstByte: number | null = null;
  let status = 0;
  return new Promise<ForwardResult>((resolve) => {
    pool.stream(
      {
        method: req.method ?? 'GET',
        path,
        headers,
        body: hasBody ? req : null,
        signal: abort.signal,
      },
      ({ statusCode, headers: upstreamHeaders }) => {
        firstByte = performance.now();
        status = statusCode;
        res.writeHead(statusCode, downstreamResponseHeaders(upstreamHeaders));
        return res;
      },
      (error) => {
        res.off('close', onClose);
        if (!error) {
          resolve({ status, error: null, failureStatus: null, dispatched, firstByte });
          return;
        }
        const failure = classify(error, abort.signal.aborted);
        resolve({ status, error: failure.cause, failureStatus: failure.status, dispatched, firstByte });
      },
    );
  });
}

function classify(error: Error, clientAborted: boolean): { status: number; cause: string } {
  if (clientAborted) return { status: 499, cause: 'client aborted' };
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return { status: 502, cause: 'connection refused' };
  if (code === 'ECONNRESET' || error instanceof errors.SocketError) return { status: 502, cause: 'upstream reset the connection' };
  if (error instanceof errors.HeadersTimeoutError) return { status: 504, cause: 'upstream timed out' };
  if (error instanceof errors.BodyTimeoutError) return { status: 504, cause: 'upstream body timed out' };
  if (error instanceof errors.HeadersOverflowError) return { status: 502, cause: 'upstream headers too large' };
  if (error instanceof errors.RequestContentLengthMismatchError) return { status: 400, cause: 'request body shorter than its Content-Length' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { status: 502, cause: 'host not found' };
  return { status: 502, cause: error.message || 'upstream failed' };
}
