/**
 * An HTTP/1.1 request sent to an instance over HTTP/2 (a service with `protocol: h2c`): the same
 * dispatch an undici pool offers (forward.ts is its handler), carried by a stream on the instance's
 * shared HTTP/2 connection (h2-upstreams.ts). The exchange cannot tell the difference: it is told
 * when the request left, gets the status and headers, each chunk with backpressure, the trailers,
 * or the error — in undici's words, so retries, timeouts and the log work unchanged.
 */
import http2, { type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { HeaderMap } from '../forwarded-headers.js';
import type { H2Upstreams } from './h2-upstreams.js';

/** What forward.ts asks of a dispatch. */
export interface H2DispatchOptions {
  method: string;
  path: string;
  headers: HeaderMap;
  body: Readable | null;
  headersTimeout?: number;
}

/** Connection-specific HTTP/1.1 headers HTTP/2 forbids (RFC 9113 §8.2.2); Host becomes :authority. */
const NOT_IN_H2 = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te']);

export function dispatchOverH2(
  upstreams: H2Upstreams,
  address: string,
  connectTimeoutMs: number | undefined,
  options: H2DispatchOptions,
  handler: Dispatcher.DispatchHandler,
): void {
  // Only a registered service's instance is set to h2c.
  const upstream = upstreams.get(address, connectTimeoutMs, 'instance');
  const headers: OutgoingHttpHeaders = {
    ':method': options.method,
    ':path': options.path,
    ':scheme': 'http',
    ':authority': String(options.headers.host ?? address),
  };
  for (const [name, value] of Object.entries(options.headers)) if (!NOT_IN_H2.has(name)) headers[name] = value;
  const stream = upstream.session.request(headers, { endStream: options.body === null });
  const controller = new StreamController(stream, (error) => fail(error));
  let over = false;
  let timer: NodeJS.Timeout | null = null;
  const fail = (error: Error) => {
    if (over) return;
    over = true;
    if (timer !== null) clearTimeout(timer);
    if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
    handler.onResponseError?.(controller as unknown as Dispatcher.DispatchController, error);
  };
  if (options.headersTimeout !== undefined) {
    timer = setTimeout(() => fail(Object.assign(new Error('headers timeout'), { code: 'UND_ERR_HEADERS_TIMEOUT' })), options.headersTimeout);
  }
  const start = () => {
    if (over) return;
    handler.onRequestStart?.(controller as unknown as Dispatcher.DispatchController, {});
    if (options.body === null || controller.aborted) return;
    options.body.on('data', (chunk: Buffer) => handler.onBodySent?.(chunk));
    options.body.pipe(stream);
  };
  if (upstream.connected) start();
  else upstream.session.once('connect', start);
  let trailers: IncomingHttpHeaders = {};
  stream.on('response', (response) => {
    if (timer !== null) clearTimeout(timer);
    const status = Number(response[':status']);
    handler.onResponseStart?.(controller as unknown as Dispatcher.DispatchController, status, withoutPseudo(response), '');
  });
  stream.on('data', (chunk: Buffer) => handler.onResponseData?.(controller as unknown as Dispatcher.DispatchController, chunk));
  stream.on('trailers', (received) => (trailers = received));
  stream.once('end', () => {
    const code = stream.rstCode;
    if (code !== undefined && code !== http2.constants.NGHTTP2_NO_ERROR) return;
    over = true;
    handler.onResponseEnd?.(controller as unknown as Dispatcher.DispatchController, withoutPseudo(trailers));
  });
  stream.once('error', (error: Error) => fail(upstream.connectError ?? (error.cause as Error | undefined) ?? error));
  stream.once('close', () => {
    if (!over)
      fail(upstream.connectError ?? Object.assign(new Error(`the instance reset the stream (HTTP/2 error ${stream.rstCode ?? 0})`), { code: 'ECONNRESET' }));
  });
}

/** undici's DispatchController over an HTTP/2 stream: pause and resume its reading, abort it. */
class StreamController {
  aborted = false;
  paused = false;
  reason: Error | null = null;

  constructor(
    private readonly stream: ClientHttp2Stream,
    private readonly onAbort: (error: Error) => void,
  ) {}

  abort(reason: Error): void {
    this.aborted = true;
    this.reason = reason;
    this.onAbort(reason);
  }

  pause(): void {
    this.paused = true;
    this.stream.pause();
  }

  resume(): void {
    this.paused = false;
    this.stream.resume();
  }
}

function withoutPseudo(headers: IncomingHttpHeaders): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const name in headers) if (!name.startsWith(':')) out[name] = headers[name];
  return out;
}
