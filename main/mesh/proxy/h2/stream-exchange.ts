/**
 * One HTTP/2 call through the mesh — a gRPC call, or any h2c request — from the client's stream to
 * a stream on the chosen instance's shared connection (h2-upstreams.ts) and back: headers, every
 * DATA frame as it comes (message by message for gRPC, with backpressure both ways, nothing
 * buffered), trailers, and a reset in either direction passed on as one.
 *
 * It runs the same attempt loop as an HTTP/1.1 exchange (attempt-loop.ts): faults, the restart
 * hold, and retries within the retry budget when nothing of the answer came — gRPC's transparent
 * retry: a refused or failed connection, a REFUSED_STREAM, an instance that went away mid-call, or
 * a trailers-only UNAVAILABLE. The request body is kept for that until the answer begins
 * (request-relay.ts, bounded per call). What gRPC adds:
 * - the verdict is the call's `grpc-status` (trailers, or a trailers-only answer), not the HTTP
 *   status, for ejection and for the event; latency still counts from the response headers;
 * - `grpc-timeout` is the call's deadline: the mesh answers DEADLINE_EXCEEDED when it passes and
 *   cancels the upstream stream; the service's request timeout still bounds the wait for headers;
 * - what the mesh answers itself is a trailers-only gRPC status naming the cause (grpc-status.ts).
 */
import http2, { type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { Fault } from '../../../../shared/routes.js';
import { BodyCapture } from '../../telemetry/exchange-capture.js';
import { AttemptLoop, type ExchangeContext } from '../attempt-loop.js';
import type { ProxyFailure } from '../proxy-error.js';
import type { Route } from '../router.js';
import type { GrpcFailure } from '../../telemetry/classify.js';
import { downstreamCallHeaders } from './h2-headers.js';
import { answerCall } from './answer-call.js';
import { GrpcMessageCounter } from './grpc-message-counter.js';
import { Http1Call } from './http1-call.js';
import { RequestRelay } from './request-relay.js';
import { h2Failure, resetError, upstreamFailure } from './upstream-failure.js';
import { encodeGrpcMessage, GRPC, grpcMessageIn, grpcStatusForHttp, grpcStatusIn, grpcStatusName, grpcTimeoutMs, isGrpc } from './grpc-status.js';

const { NGHTTP2_CANCEL } = http2.constants;

export type StreamDone = (exchange: StreamExchange) => void;

/** An attempt's call to the instance: an HTTP/2 stream, or HTTP/1.1 shown as one (`protocol: http1`). */
type UpstreamCall = ClientHttp2Stream | Http1Call;

export class StreamExchange extends AttemptLoop {
  /** The call's gRPC status and message, once known (gRPC calls only). */
  grpcStatus: number | null = null;
  grpcMessage: string | null = null;
  /** Messages each way, counted as they pass (gRPC calls only). */
  readonly messagesIn: GrpcMessageCounter | null;
  readonly messagesOut: GrpcMessageCounter | null;
  responseHeaders: IncomingHttpHeaders | null = null;
  responseTrailers: IncomingHttpHeaders | null = null;
  readonly grpc: boolean;
  private upstreamHeaders: OutgoingHttpHeaders = {};
  private call: UpstreamCall | null = null;
  private readonly body: RequestRelay;
  private headersTimer: NodeJS.Timeout | null = null;
  private callTimer: NodeJS.Timeout | null = null;
  private clientGone = false;
  /** The client asked for trailers (`te: trailers`, as every gRPC client does): they are relayed. */
  private readonly wantsTrailers: boolean;
  /** Trailers were handed to Node, which submits them a turn later (see `finish`). */
  private trailersPending = false;

  constructor(
    readonly client: ServerHttp2Stream,
    readonly headers: IncomingHttpHeaders,
    /** The client connection the stream came on (for the caller's lookup). */
    readonly socket: Socket,
    route: Route,
    start: number,
    readonly path: string,
    context: ExchangeContext,
    capturing: boolean,
    private readonly isFailure: GrpcFailure,
    /** Told once the call is over and its answer written (see `finish`). */
    private readonly done: StreamDone,
  ) {
    // A request whose headers ended the stream has no body; any other has one (gRPC calls always).
    super(route, start, headers[':method'], !client.readableEnded && client.endAfterHeaders !== true, context, capturing);
    this.grpc = isGrpc(headers['content-type']);
    this.messagesIn = this.grpc ? new GrpcMessageCounter() : null;
    this.messagesOut = this.grpc ? new GrpcMessageCounter() : null;
    this.wantsTrailers = headers.te === 'trailers';
    this.body = new RequestRelay(client, this.countRequestBytes);
  }

  get method(): string {
    return this.headers[':method'] ?? 'GET';
  }

  send(upstreamHeaders: OutgoingHttpHeaders, fault: Fault | null): void {
    this.upstreamHeaders = upstreamHeaders;
    this.client.once('close', this.onClientClose);
    const deadline = this.grpc ? grpcTimeoutMs(this.headers['grpc-timeout']) : null;
    if (deadline !== null) this.callTimer = setTimeout(this.onDeadline, Math.max(1, deadline - (performance.now() - this.start)));
    this.begin(fault);
  }

  protected dispatch(): void {
    const now = this.attemptStarting();
    const { policy } = this.route;
    if (policy?.protocol === 'http1' && this.grpc) {
      this.attemptOver();
      this.fail({ status: 502, cause: `${this.route.service} is set to protocol: http1, and gRPC needs HTTP/2` }, GRPC.UNIMPLEMENTED);
      return;
    }
    if (policy?.protocol === 'http1') {
      // HTTP/1.1 to the instance: its pool connects on its own, so the call has left at once.
      const call = new Http1Call(this.context.pools.get(this.instance, policy.connectTimeoutMs, 'instance'), this.upstreamHeaders, this.hasBody);
      this.watch(call, (error) => error ?? resetError('the instance closed the connection before its answer ended'));
      this.armHeadersTimer(now);
      this.sendBody(call);
      return;
    }
    const upstream = this.context.h2.get(this.instance, policy?.connectTimeoutMs, policy === null ? 'passthrough' : 'instance');
    const call = upstream.session.request(this.upstreamHeaders, { endStream: !this.hasBody });
    this.watch(call, (error) => upstream.connectError ?? upstreamFailure(call, error, upstream.session));
    this.armHeadersTimer(now);
    if (upstream.connected) this.sendBody(call);
    else upstream.session.once('connect', () => this.sendBody(call));
  }

  /** Listens to an attempt's upstream call; `failureOf` words why it ended without its end. */
  private watch(call: UpstreamCall, failureOf: (error: Error | null) => Error): void {
    this.call = call;
    call.on('response', (headers: IncomingHttpHeaders, flags: number) => this.onResponse(call, headers, flags));
    call.on('trailers', (trailers: IncomingHttpHeaders) => {
      if (call === this.call) this.onTrailers(trailers);
    });
    call.on('data', (chunk: Buffer) => {
      if (call === this.call) this.onData(call, chunk);
    });
    call.once('end', () => {
      if (call !== this.call) return;
      // Node ends a stream the instance reset before it reports the reset: a cut answer is not a whole one.
      const code = call.rstCode;
      if (code !== undefined && code !== http2.constants.NGHTTP2_NO_ERROR) this.onError(failureOf(null));
      else this.onEnd();
    });
    // A call that fails says so twice ('error', then 'close'); the first one counts.
    call.once('error', (error: Error) => {
      if (call === this.call) this.onError(failureOf(error));
    });
    call.once('close', () => {
      if (call === this.call && !this.finished && !call.readableEnded) this.onError(failureOf(null));
    });
  }

  private armHeadersTimer(now: number): void {
    if (this.route.policy !== null) this.headersTimer = setTimeout(this.onHeadersTimeout, Math.max(1, this.deadline - now));
  }

  /** The instance's connection is up: from here on the call has left, and its body flows. */
  private sendBody(call: UpstreamCall): void {
    if (call !== this.call || this.finished) return;
    this.attemptLeft = true;
    this.connected = performance.now();
    if (this.hasBody) this.body.attach(call);
  }

  /** Sent again only while every byte of the request is at hand and nothing of the answer came. */
  protected override canReplay(): boolean {
    return !this.attemptLeft || (this.firstByte === null && this.body.replayable);
  }

  private readonly countRequestBytes = (chunk: Buffer): void => {
    this.bytesIn += chunk.length;
    this.messagesIn?.push(chunk);
    if (this.capturing) (this.requestBody ??= new BodyCapture(this.context.captureBodyBytes)).push(chunk);
  };

  private onResponse(call: UpstreamCall, headers: IncomingHttpHeaders, flags: number): void {
    if (call !== this.call || this.finished) return;
    this.clearHeadersTimer();
    const now = performance.now();
    const status = Number(headers[':status']) || 502;
    const endsHere = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0;
    if (this.grpc && endsHere && this.retriesUnavailable(headers, now)) return;
    this.firstByte = now;
    this.body.release();
    this.responseHeaders = headers;
    if (this.grpc && endsHere) {
      // Trailers-only: the status is in these headers, and the call is over.
      this.noteGrpc(headers);
      this.answerStarted(now);
      this.judge(now);
    } else if (this.grpc) {
      this.answerStarted(now);
    } else {
      this.answered(status, now);
    }
    if (this.client.destroyed) return;
    this.status = status;
    this.client.respond(downstreamCallHeaders(headers, status), { endStream: endsHere, waitForTrailers: !endsHere && this.wantsTrailers });
    if (endsHere) {
      // Nothing follows a response that ended with its headers (a trailers-only gRPC answer).
      this.attemptOver();
      this.noteAttempt(status, null);
      this.finish(null);
    } else if (this.wantsTrailers) {
      this.client.once('wantTrailers', this.relayTrailers);
    }
  }

  /**
   * A trailers-only UNAVAILABLE is gRPC's gateway error: the call goes to another instance, when
   * the service's policy retries gateway errors (503) and the budget allows, and the whole request
   * is at hand.
   */
  private retriesUnavailable(headers: IncomingHttpHeaders, now: number): boolean {
    const { policy } = this.route;
    if (grpcStatusIn(headers) !== GRPC.UNAVAILABLE || policy === null || !policy.retry.statuses.has(503)) return false;
    if (!this.body.replayable || !this.mayRetry(now)) return false;
    this.answerStarted(now);
    this.judged(false, 'gRPC status UNAVAILABLE', now);
    this.attemptOver();
    this.noteAttempt(200, 'gRPC status UNAVAILABLE');
    this.abandonAttempt();
    return this.retry(false);
  }

  /** Lets go of the current attempt's stream: nothing more goes to it or comes from it. */
  private abandonAttempt(): void {
    this.clearHeadersTimer();
    this.body.detach();
    const call = this.call;
    this.call = null;
    if (call !== null && !call.closed) call.close(NGHTTP2_CANCEL);
  }

  private onData(call: UpstreamCall, chunk: Buffer): void {
    if (this.finished || this.client.destroyed) return;
    this.bytesOut += chunk.length;
    this.messagesOut?.push(chunk);
    if (this.capturing) (this.responseBody ??= new BodyCapture(this.context.captureBodyBytes)).push(chunk);
    if (this.client.write(chunk)) return;
    call.pause();
    this.client.once('drain', () => call.resume());
  }

  private onTrailers(trailers: IncomingHttpHeaders): void {
    this.responseTrailers = trailers;
    if (this.grpc) this.noteGrpc(trailers);
  }

  private onEnd(): void {
    if (this.finished) return;
    this.attemptOver();
    this.noteAttempt(this.status, null);
    if (this.grpc && this.responseTrailers !== null) this.judge(performance.now());
    if (this.grpc && this.grpcStatus === null) {
      // A gRPC answer must end with a status; one without is broken (the spec's INTERNAL).
      this.grpcStatus = GRPC.INTERNAL;
      this.grpcMessage = 'the instance ended the call without a grpc-status';
    }
    if (!this.client.destroyed && !this.client.writableEnded) this.client.end();
    if (!this.wantsTrailers || this.client.destroyed) this.finish(null);
  }

  /** Node asks for the trailers once the last DATA frame is out: the instance's, as they came. */
  private readonly relayTrailers = (): void => {
    const trailers = this.responseTrailers;
    if (trailers === null && this.grpc) {
      this.client.sendTrailers({ 'grpc-status': String(this.grpcStatus ?? GRPC.INTERNAL), 'grpc-message': encodeGrpcMessage(this.grpcMessage ?? '') });
    } else {
      this.client.sendTrailers(trailers === null ? {} : downstreamCallHeaders(trailers));
    }
    // sendTrailers submits them from a setImmediate of its own: the report waits one turn more.
    this.trailersPending = true;
    this.finish(null);
  };

  private onError(error: Error): void {
    this.clearHeadersTimer();
    this.attemptOver();
    if (this.finished) return;
    if (this.clientGone) {
      this.noteAttempt(0, 'client aborted');
      this.finish('client aborted');
      return;
    }
    const failure = h2Failure(error);
    if (this.client.headersSent) {
      this.noteAttempt(this.status, failure.cause);
      this.cutClient(failure.cause);
      this.finish(`${failure.cause} (after the response began)`);
      return;
    }
    this.noteAttempt(0, failure.cause);
    this.abandonAttempt();
    if (!this.recover(error, failure)) this.fail(failure);
  }

  protected fail(failure: Pick<ProxyFailure, 'status' | 'cause'>, code = grpcStatusForHttp(failure.status)): void {
    this.call?.close(NGHTTP2_CANCEL);
    this.error = failure.cause;
    if (this.client.destroyed) {
      this.finish(failure.cause);
      return;
    }
    if (this.client.headersSent) {
      this.cutClient(failure.cause);
    } else {
      const given = answerCall(this.client, this.grpc, failure.status, failure.cause, code);
      this.status = given === null ? failure.status : 200;
      if (given !== null) ({ status: this.grpcStatus, message: this.grpcMessage } = given);
    }
    this.finish(failure.cause);
  }

  /** A gRPC call takes a fault's gRPC status first; its HTTP status, mapped as gRPC maps it, else. */
  protected override abortedBy(fault: Fault): boolean {
    const code = fault.abortGrpcStatus;
    if (!this.grpc || code === undefined) return super.abortedBy(fault);
    this.fail({ status: 503, cause: `fault injected: abort with gRPC status ${grpcStatusName(code)}` }, code);
    return true;
  }

  /**
   * Ends an answer that had begun, so that the client cannot take it for a whole one: a reset
   * (INTERNAL_ERROR). `close(code)` would first end the stream cleanly once its data is out.
   */
  private cutClient(cause: string): void {
    this.client.destroy(new Error(cause));
  }

  private readonly onHeadersTimeout = (): void => {
    this.headersTimer = null;
    const ms = this.route.policy?.requestTimeoutMs ?? 0;
    this.onError(Object.assign(new Error(`upstream timed out before sending response headers (${ms} ms)`), { code: 'UND_ERR_HEADERS_TIMEOUT' }));
  };

  private readonly onDeadline = (): void => {
    this.callTimer = null;
    if (this.finished) return;
    this.attemptOver();
    this.noteAttempt(this.status, 'deadline exceeded');
    this.fail({ status: 504, cause: `the call's deadline (grpc-timeout ${String(this.headers['grpc-timeout'])}) passed` }, GRPC.DEADLINE_EXCEEDED);
  };

  private readonly onClientClose = (): void => {
    if (this.finished) return;
    this.clientGone = true;
    this.call?.close(NGHTTP2_CANCEL);
    this.finish('client aborted');
  };

  private noteGrpc(headers: IncomingHttpHeaders): void {
    this.grpcStatus = grpcStatusIn(headers);
    this.grpcMessage = grpcMessageIn(headers);
  }

  private judge(now: number): void {
    const code = this.grpcStatus ?? GRPC.INTERNAL;
    this.judged(!this.isFailure(code), `gRPC status ${grpcStatusName(code)}`, now);
  }

  private clearHeadersTimer(): void {
    if (this.headersTimer === null) return;
    clearTimeout(this.headersTimer);
    this.headersTimer = null;
  }

  private finish(error: string | null): void {
    if (this.finished) return;
    this.finished = true;
    this.clearHeadersTimer();
    if (this.callTimer !== null) clearTimeout(this.callTimer);
    if (this.timer !== null) clearTimeout(this.timer);
    this.waitCancel?.();
    this.waitCancel = null;
    if (error !== null) this.error = error;
    if (this.clientGone && !this.client.headersSent) this.status = 0;
    // Reported once the frames that end the answer are written, not before them: the report (the
    // event, the request log, the live views) is a call's costliest work, and done here it would
    // sit between the instance's last frame and the client's on every call's latency. Node writes
    // a session's frames from a native immediate, which runs before the script's: one setImmediate
    // comes after what was submitted so far, and trailers, submitted a setImmediate later by
    // Node's sendTrailers, need two. The event's end time then counts that write too.
    setImmediate(this.trailersPending ? StreamExchange.reportNextTurn : StreamExchange.report, this);
  }

  private static report(exchange: StreamExchange): void {
    try {
      exchange.done(exchange);
    } catch {
      // Reporting must never break a call that is already over.
    }
  }

  private static reportNextTurn(exchange: StreamExchange): void {
    setImmediate(StreamExchange.report, exchange);
  }
}
