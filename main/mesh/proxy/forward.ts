/**
 * One proxied HTTP exchange: sends the client's request upstream — again, if an attempt fails and
 * it is safe to — and streams the answer back. It is undici's dispatch handler itself (rather than
 * `Pool.stream`) because only the low-level handler sees response trailers before the response
 * ends and tells whether a request ever left (retry-rules.ts), and because one object per exchange
 * — no promise, no per-chunk closure — keeps the hot path light. Bodies are never buffered: the
 * request body is a stream undici reads with backpressure, and response chunks go straight to the
 * client, pausing the upstream while the client's socket is full.
 *
 * Attempts never overlap: the next one starts only after undici ended the previous (its end or
 * error callback), after a jittered backoff or a restart hold, so one handler object serves them
 * all and a stale callback cannot arrive. Nothing reaches the client until an attempt's answer is
 * kept: an answer to be retried (a 503 to a GET) is read and dropped. A client that goes away
 * aborts the attempt or the wait; an upstream that fails for good is reported to the client (an
 * error answer before the response began, a cut connection after).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import type { Fault } from '../../../shared/routes.js';
import { BodyCapture } from '../telemetry/exchange-capture.js';
import { AttemptLoop, type ExchangeContext } from './attempt-loop.js';
import { dispatchOverH2 } from './h2/h2-dispatcher.js';
import { downstreamResponseHeaders, forwardableTrailers, type HeaderMap } from './forwarded-headers.js';
import { sendProxyError, type ProxyFailure } from './proxy-error.js';
import type { Route } from './router.js';
import { classifyUpstreamError } from './upstream-errors.js';

export { FLAG, type ExchangeContext } from './attempt-loop.js';

/** Called once per exchange, when it is over; the exchange then holds what its request event needs. */
export type ForwardDone = (exchange: ForwardExchange) => void;

/**
 * The longest a response's end waits for its connection's caller lookup. A cold /proc scan takes
 * 13–20 ms on an idle machine, but while processes start together (a workspace's services, each
 * calling the others at once) lookups queue behind each other for hundreds of milliseconds; a
 * shorter hold let such clients close first, taking their socket's owner with them, and their calls
 * were attributed to `shell`. Only a connection's first exchange can wait, and only that long when
 * the machine is that busy.
 */
export const ATTRIBUTION_HOLD_MS = 1_000;

/** A retried answer's body is read and dropped up to this size; beyond, its connection is cut. */
const DISCARD_LIMIT = 64 * 1024;

type Controller = Dispatcher.DispatchController;

export class ForwardExchange extends AttemptLoop implements Dispatcher.DispatchHandler {
  responseRawHeaders: readonly (Buffer | string)[] | null = null;
  /** The client's connection (Node detaches it from `req` once the request body has been read). */
  readonly socket: Socket;
  private headers: HeaderMap = {};
  private controller: Controller | null = null;
  private clientGone = false;
  /** The current attempt's answer is being read and dropped, for a retry. */
  private discarding = false;
  private discardedBytes = 0;
  private discardedStatus = 0;
  /** The response already waited once for the connection's caller lookup. */
  private heldForCaller = false;
  /** Made on the first backpressure only: most responses never fill the client's socket. */
  private onClientDrain: (() => void) | null = null;

  constructor(
    readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    route: Route,
    start: number,
    /** Origin-form path sent upstream. */
    readonly path: string,
    context: ExchangeContext,
    capturing: boolean,
    private readonly done: ForwardDone,
  ) {
    const length = req.headers['content-length'];
    super(route, start, req.method, (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined, context, capturing);
    this.socket = req.socket;
  }

  /** Starts the exchange; `fault` is a fault rule that has already been rolled for this request. */
  send(headers: HeaderMap, fault: Fault | null): void {
    this.headers = headers;
    // `on`, not `once`: the response closes once, the listener ignores a finished exchange, and
    // `once` wraps every listener in a closure and a state object of its own.
    this.res.on('close', this.onClientClose);
    this.begin(fault);
  }

  /** The client went away before the exchange was sent (while its caller was looked up). */
  abandon(): void {
    this.clientGone = true;
    this.finish('client aborted');
  }

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    this.attemptLeft = true;
    this.connected = performance.now();
    if (this.clientGone) controller.abort(new Error('client aborted'));
  }

  onResponseStart(controller: Controller, statusCode: number, headers: Record<string, string | string[] | undefined>, statusMessage?: string): void {
    const lookup = this.caller;
    if (this.capturing && !this.heldForCaller && typeof lookup !== 'string') {
      return this.holdForCaller(lookup, () => this.onResponseStart(controller, statusCode, headers, statusMessage), controller);
    }
    this.controller = controller;
    const now = performance.now();
    this.answered(statusCode, now);
    if (this.retriesStatus(statusCode, now)) {
      this.discarding = true;
      this.discardedStatus = statusCode;
      return;
    }
    this.firstByte = now;
    // Throws on a status or header Node will not send; undici then aborts and we answer 502.
    this.res.writeHead(statusCode, statusMessage || undefined, downstreamResponseHeaders(headers));
    this.status = statusCode;
    if (this.capturing) this.responseRawHeaders = (controller.rawHeaders as Buffer[] | string[] | null | undefined) ?? null;
  }

  /**
   * A client that closes once answered takes its socket's owner with it: while the connection's OS
   * lookup (started at accept) still runs, the answer waits for it — upstream reading paused — at
   * most ATTRIBUTION_HOLD_MS, once per exchange. A warm lookup takes about a millisecond, and a
   * kept-alive connection's later requests never wait.
   */
  private holdForCaller(lookup: Promise<unknown>, answer: () => void, controller: Controller): void {
    this.heldForCaller = true;
    controller.pause();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, ATTRIBUTION_HOLD_MS)));
    void Promise.race([lookup, limit]).then(() => {
      clearTimeout(timer);
      if (this.finished) return;
      answer();
      controller.resume();
    });
  }

  onBodySent(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    if (this.capturing) (this.requestBody ??= new BodyCapture(this.context.captureBodyBytes)).push(chunk);
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.discarding) {
      this.discardedBytes += chunk.length;
      if (this.discardedBytes > DISCARD_LIMIT) controller.abort(new Error('retried answer too large to drain'));
      return;
    }
    this.bytesOut += chunk.length;
    if (this.capturing) (this.responseBody ??= new BodyCapture(this.context.captureBodyBytes)).push(chunk);
    if (this.res.write(chunk)) return;
    controller.pause();
    if (this.onClientDrain === null) {
      this.onClientDrain = () => this.controller?.resume();
      this.res.on('drain', this.onClientDrain);
    }
  }

  onResponseEnd(_controller: Controller, trailers: Record<string, string | string[] | undefined>): void {
    this.attemptOver();
    if (this.discarding) {
      this.noteAttempt(this.discardedStatus, null);
      this.retry(false);
      return;
    }
    this.noteAttempt(this.status, null);
    const forwarded = forwardableTrailers(trailers);
    // Node sends trailers only on a chunked response; for HTTP/1.0 or Content-Length it drops them.
    if (forwarded !== null) this.res.addTrailers(forwarded);
    this.res.end();
    this.finish(null);
  }

  onResponseError(_controller: Controller | null, error: Error): void {
    this.attemptOver();
    if (this.clientGone || this.socket.destroyed) {
      this.clientGone = true;
      this.noteAttempt(this.discarding ? this.discardedStatus : 0, 'client aborted');
      this.finish('client aborted');
      return;
    }
    if (this.discarding) {
      // The answer being dropped broke off; the retry it was dropped for still stands.
      this.noteAttempt(this.discardedStatus, null);
      this.retry(false);
      return;
    }
    const failure = classifyUpstreamError(error);
    if (this.res.headersSent) {
      // Mid-body: the only honest signal left is a cut connection (an unterminated chunked body).
      this.noteAttempt(this.status, failure.cause);
      this.res.destroy();
      this.finish(`${failure.cause} (after the response began)`);
      return;
    }
    this.noteAttempt(0, failure.cause);
    if (!this.recover(error, failure)) this.fail(failure);
  }

  protected dispatch(): void {
    const now = this.attemptStarting();
    this.discarding = false;
    this.discardedBytes = 0;
    this.controller = null;
    const { policy } = this.route;
    const req = this.req;
    const options = {
      method: req.method ?? 'GET',
      path: this.path,
      headers: this.headers,
      body: this.hasBody ? req : null,
      // The service's request timeout spans every attempt; each gets what is left of it.
      headersTimeout: policy === null ? undefined : Math.max(1, Math.round(this.deadline - now)),
    };
    if (policy?.protocol === 'h2c') dispatchOverH2(this.context.h2, this.instance, policy.connectTimeoutMs, options, this);
    else this.context.pools.get(this.instance, policy?.connectTimeoutMs, policy === null ? 'passthrough' : 'instance').dispatch(options, this);
  }

  protected fail(failure: Pick<ProxyFailure, 'status' | 'cause'>): void {
    const { route } = this;
    sendProxyError(this.req.headers.accept, this.req.method, this.res, {
      status: failure.status,
      service: route.service,
      instance: this.instance,
      cause: failure.cause,
    });
    this.status = failure.status;
    this.finish(failure.cause);
  }

  private readonly onClientClose = (): void => {
    if (this.finished || this.res.writableFinished) return;
    this.clientGone = true;
    if (this.inFlight) {
      // Not yet started: undici reports the abort when the request starts; until then it is pending.
      this.controller?.abort(new Error('client aborted'));
      return;
    }
    // Waiting (fault delay, backoff, hold): nothing upstream to abort.
    this.finish('client aborted');
  };

  private finish(error: string | null): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.waitCancel?.();
    this.waitCancel = null;
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
