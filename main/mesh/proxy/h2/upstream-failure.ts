/** What went wrong with a call to an instance over HTTP/2, in the words the rest of the mesh uses. */
import http2, { type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import type { ProxyFailure } from '../proxy-error.js';
import { classifyUpstreamError } from '../upstream-errors.js';

/**
 * Why an upstream stream ended without its end, as an error the attempt loop can judge. A stream
 * the instance refused (REFUSED_STREAM) or one lost with its connection never reached the
 * service's code as far as the mesh can tell: those are connection failures (retry-rules.ts
 * `reset`) and may go elsewhere; any other reset is the instance's own answer.
 */
export function upstreamFailure(call: ClientHttp2Stream, error: Error | null, session: ClientHttp2Session): Error {
  const code = call.rstCode ?? http2.constants.NGHTTP2_NO_ERROR;
  const cause = error?.cause;
  if (cause instanceof Error && (cause as NodeJS.ErrnoException).code !== undefined) return cause;
  if (code === http2.constants.NGHTTP2_REFUSED_STREAM) return resetError('the instance refused the stream (REFUSED_STREAM)');
  if (session.destroyed || session.closed) return resetError('the connection to the instance closed mid-call');
  if (code !== http2.constants.NGHTTP2_NO_ERROR) {
    return Object.assign(new Error(`the instance reset the stream (HTTP/2 error ${code})`), { code: 'ERR_HTTP2_STREAM_ERROR' });
  }
  return error ?? resetError('the instance closed the stream before its end');
}

export function resetError(message: string): Error {
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}

/** An HTTP/2 stream error in the words the mesh uses for any upstream failure. */
export function h2Failure(error: Error): Pick<ProxyFailure, 'status' | 'cause'> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ERR_HTTP2_STREAM_ERROR' || code === 'ERR_HTTP2_SESSION_ERROR' || code === 'ERR_HTTP2_GOAWAY_SESSION') {
    return { status: 502, cause: error.message };
  }
  return classifyUpstreamError(error);
}
