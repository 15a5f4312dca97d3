/**
 * One proxied HTTP exchange: sends the client's request to one upstream and streams the answer back.
 * It is undici's dispatch handler itself (rather than `Pool.stream`) because only the low-level
 * handler sees response trailers before the response ends, and because one object per exchange —
 * no promise, no per-chunk closure — keeps the hot path light. Bodies are never buffered: the request
 * body is a stream undici reads with backpressure, and response chunks go straight to the client,
 * pausing the upstream while the client's socket is full. A client that goes away aborts the
 * upstream request; an upstream that fails is reported to the client (an error answer before the
 * response began, a cut connection after).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { downstreamResponseHeaders, forwardableTrailers, type HeaderMap } from './forwarded-headers.js';
import { sendProxyError } from './proxy-error.js';
import type { Route } from './router.js';
import { classifyUpstreamError } from './upstream-errors.js';

/** Called once per exchange, when it is over; the exchange then holds what its request event needs. */
export type ForwardDone = (exchange: ForwardExchange) => void;

type Controller = Dispatcher.DispatchController;

export class ForwardExchange implements Dispatcher.DispatchHandler {
  /** Status the client received; 0 when it received none. */
  status = 0;
  error: string | null = null;
  dispatched: number | null = null;
  firstByte: number | null = null;
  /** Request body bytes passed upstream, response body bytes passed to the client. */
  bytesIn = 0;
  bytesOut = 0;
  /** The client's connection (Node detaches it from `req` once the request body has been read). */
  readonly socket: Socket;
  private controller: Controller | null = null;
  private clientGone = false;
  private finished = false;
  /** Made on the first backpressure only: most responses never fill the client's socket. */
  private onClientDrain: (() => void) | null = null;

  constructor(
    readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    readonly route: Route,
    /** `performance.now()` when the request arrived. */
    readonly start: number,
    /** Origin-form path sent upstream. */
    readonly path: string,
    private readonly done: ForwardDone,
  ) {
    this.socket = req.socket;
  }

  send(pool: Dispatcher, headers: HeaderMap): void {
    this.res.once('close', this.onClientClose);
    const req = this.req;
    const length = req.headers['content-length'];
    const hasBody = (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
    pool.dispatch(
      { method: req.method ?? 'GET', path: this.path, headers, body: hasBody ? req : null },
      this,
    );
  }

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    this.dispatched = performance.now();
    if (this.clientGone) controller.abort(new Error('client aborted'));
  }

  onResponseStart(controller: Controller, statusCode: number, headers: Record<string, string | string[] | undefined>, statusMessage?: string): void {
    this.controller = controller;
    this.firstByte = performance.now();
    // Throws on a status or header Node will not send; undici then aborts and we answer 502.
    this.res.writeHead(statusCode, statusMessage || undefined, downstreamResponseHeaders(headers));
    this.status = statusCode;
  }

  onBodySent(chunk: Buffer): void {
    this.bytesIn += chunk.length;
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    this.bytesOut += chunk.length;
    if (this.res.write(chunk)) return;
    controller.pause();
    if (this.onClientDrain === null) {
      this.onClientDrain = () => this.controller?.resume();
      this.res.on('drain', this.onClientDrain);
    }
  }

  onResponseEnd(_controller: Controller, trailers: Record<string, string | string[] | undefined>): void {
    const forwarded = forwardableTrailers(trailers);
    // Node sends trailers only on a chunked response; for HTTP/1.0 or Content-Length it drops them.
    if (forwarded !== null) this.res.addTrailers(forwarded);
    this.res.end();
    this.finish(null);
  }

  onResponseError(_controller: Controller | null, error: Error): void {
    if (this.clientGone || this.socket.destroyed) {
      this.clientGone = true;
      this.finish('client aborted');
      return;
    }
    const failure = classifyUpstreamError(error);
    if (this.res.headersSent) {
      // Mid-body: the only honest signal left is a cut connection (an unterminated chunked body).
      this.res.destroy();
      this.finish(`${failure.cause} (after the response began)`);
      return;
    }
    const { route } = this;
    sendProxyError(this.req.headers.accept, this.req.method, this.res, { status: failure.status, service: route.service, instance: route.instance, cause: failure.cause });
    this.status = failure.status;
    this.finish(failure.cause);
  }

  private readonly onClientClose = (): void => {
    if (this.finished || this.res.writableFinished) return;
    this.clientGone = true;
    this.controller?.abort(new Error('client aborted'));
    // Not yet dispatched: undici reports the abort when the request starts; until then it is pending.
  };

  private finish(error: string | null): void {
    if (this.finished) return;
    this.finished = true;
    if (this.onClientDrain !== null) this.res.off('drain', this.onClientDrain);
    this.error = error;
    if (this.clientGone && !this.res.headersSent) this.status = 0;
    try {
      this.done(this);
    } catch {
      // Reporting must never break an exchange that is already over.
    }
  }
}
