/**
 * The attempts of one exchange: when a failed one may be tried again, where and after how long,
 * and when it waits for a restarting service instead. The rules (retry-rules.ts): only what is safe
 * to replay, only for the failures the service's policy names, at most its attempts, within its
 * request timeout and its retry budget; a connection that was refused moves on to another instance
 * at once, anything else waits a jittered backoff. When every instance of the version refuses
 * connections, the exchange joins the version's restart hold (resilience/restart-hold.ts).
 *
 * A base class rather than a helper object, so that an exchange stays one allocation; the
 * subclass (forward.ts) does the streaming and says how to dispatch, fail and finish.
 */
import type { RequestAttempt } from '../../../shared/events.js';
import type { Fault } from '../../../shared/routes.js';
import type { InstanceState } from '../resilience/instance-book.js';
import type { Resilience } from '../resilience/resilience.js';
import type { HoldTarget } from '../resilience/restart-hold.js';
import type { RetryBudget } from '../resilience/retry-budget.js';
import { blamesInstance, connectionFailureOf, isIdempotent, replayable } from '../resilience/retry-rules.js';
import type { BodyCapture } from '../telemetry/exchange-capture.js';
import { SHELL_CALLER } from './caller.js';
import type { CallerLookup } from './caller-identity.js';
import type { ProxyFailure } from './proxy-error.js';
import type { TunnelTarget } from './request-target.js';
import type { Route } from './router.js';
import { classifyUpstreamError, type UpstreamFailure } from './upstream-errors.js';
import type { H2Upstreams } from './h2/h2-upstreams.js';
import type { UpstreamPools } from './upstream-pools.js';

export interface ExchangeContext {
  pools: UpstreamPools;
  /** HTTP/2 connections to instances, for calls that came over HTTP/2. */
  h2: H2Upstreams;
  resilience: Resilience;
  /** Bytes of each body kept for the request log (only when someone listens). */
  captureBodyBytes: number;
}

/** Flags, as bits until the event is built. */
export const FLAG = { fault: 1, retried: 2, ejected: 4, held: 8, panic: 16, budget: 32, tunnelled: 64 } as const;

export abstract class AttemptLoop {
  // What the exchange's event reports (exchange-report.ts), kept up by the subclass as it streams.
  /** Status the client received; 0 when it received none. */
  status = 0;
  error: string | null = null;
  /** First handed to the upstream (after routing, caller lookup and any injected delay). */
  dispatched: number | null = null;
  /**
   * Taken by the upstream connection of its last attempt: one opened for it, or a kept-alive one
   * once free. From `dispatched` to here is the waterfall's "connect": earlier attempts and a hold
   * for a restarting instance included, so that "first byte" is the answering instance's own wait.
   */
  connected: number | null = null;
  firstByte: number | null = null;
  /** Request body bytes passed upstream, response body bytes passed to the client. */
  bytesIn = 0;
  bytesOut = 0;
  /** The event id `begin` gave this exchange (0: nobody listens). */
  id = 0;
  /**
   * Who sent it, resolved once at its start (when anyone listens or a fault rule may apply): a
   * promise while the connection's OS lookup runs, replaced by the name once it settles.
   */
  caller: CallerLookup = SHELL_CALLER;
  /** The client's CONNECT tunnel the request came in, if it did (FLAG.tunnelled is set then). */
  tunnel: TunnelTarget | null = null;
  requestBody: BodyCapture | null = null;
  responseBody: BodyCapture | null = null;
  /** The instance of the latest attempt. */
  instance: string;
  attemptCount = 0;
  /**
   * One entry per attempt, kept only when the exchange is captured (someone listens). Made with its
   * first entry: an array literal of one holds one slot, where `[]` grows 17 on its first push.
   */
  attempts: RequestAttempt[] | null = null;
  flags = 0;
  heldMs = 0;
  /** The instance that came back after a hold. */
  heldFor: string | null = null;
  fault: Fault | null = null;
  protected state: InstanceState | null;
  protected finished = false;
  protected inFlight = false;
  /** The current attempt reached `onRequestStart`: bytes may have left. */
  protected attemptLeft = false;
  protected attemptStart = 0;
  protected waitCancel: (() => void) | null = null;
  protected timer: NodeJS.Timeout | null = null;
  protected readonly deadline: number;
  protected readonly hasBody: boolean;
  private readonly idempotent: boolean;
  private holdStart = 0;
  private holdDeadline = 0;
  private budget: RetryBudget | null = null;

  constructor(
    readonly route: Route,
    /** `performance.now()` when the request arrived. */
    readonly start: number,
    method: string | undefined,
    hasBody: boolean,
    protected readonly context: ExchangeContext,
    readonly capturing: boolean,
  ) {
    this.instance = route.instance;
    this.state = route.state;
    this.deadline = route.policy === null ? Infinity : start + route.policy.requestTimeoutMs;
    this.hasBody = hasBody;
    this.idempotent = isIdempotent(method);
    if (route.ejected > 0) this.flags |= FLAG.ejected;
    if (route.panic) this.flags |= FLAG.panic;
  }

  /** Sends the next attempt upstream; may throw (invalid request), which fails the exchange. */
  protected abstract dispatch(): void;
  /** Answers the client with an error and finishes. */
  protected abstract fail(failure: Pick<ProxyFailure, 'status' | 'cause'>): void;

  /** Counts the request in its service's retry budget, then sends it — after its fault, if one was rolled. */
  protected begin(fault: Fault | null): void {
    const { policy } = this.route;
    if (policy !== null) {
      this.budget = this.context.resilience.budgets.for(this.route.service);
      this.budget.deposit(performance.now(), policy.retry);
    }
    if (fault === null) {
      this.dispatchSafely();
      return;
    }
    this.fault = fault;
    this.flags |= FLAG.fault;
    const delay = (fault.delayMs ?? 0) + Math.random() * (fault.jitterMs ?? 0);
    if (delay > 0) this.timer = setTimeout(() => this.afterFaultDelay(), delay);
    else this.afterFaultDelay();
  }

  /** An answer arrived: what it says about the instance. */
  protected answered(statusCode: number, now: number): void {
    const { state, route } = this;
    if (state === null || route.ref === null || route.policy === null) return;
    state.observe(now - this.attemptStart, now);
    state.lastOkAt = now;
    state.refusing = false;
    const ok = statusCode < 500;
    this.context.resilience.outcome(route.ref, state, ok, route.policy.ejection, ok ? '' : `HTTP ${statusCode}`, now);
  }

  /**
   * An answer began whose verdict comes later (a gRPC call's status is in its trailers): its
   * latency counts now, for balancing; `judged` says what it came to, for ejection.
   */
  protected answerStarted(now: number): void {
    const { state } = this;
    if (state === null) return;
    state.observe(now - this.attemptStart, now);
    state.lastOkAt = now;
    state.refusing = false;
  }

  protected judged(healthy: boolean, reason: string, now: number): void {
    const { state, route } = this;
    if (state === null || route.ref === null || route.policy === null) return;
    this.context.resilience.outcome(route.ref, state, healthy, route.policy.ejection, reason, now);
  }

  /** A failed attempt: blames the instance, then holds or retries when that is safe; false when neither. */
  protected recover(error: Error, failure: UpstreamFailure): boolean {
    const { state, route } = this;
    const { ref, policy } = route;
    if (state === null || ref === null || policy === null) return false;
    const now = performance.now();
    const kind = connectionFailureOf(error);
    if (kind === 'refused') {
      state.refusing = true;
      state.refusedAt = now;
    }
    if ((error as NodeJS.ErrnoException).code === 'UND_ERR_HEADERS_TIMEOUT') state.observe(now - this.attemptStart, now);
    if (blamesInstance(error)) this.context.resilience.outcome(ref, state, false, policy.ejection, failure.cause, now);
    if (kind === null || !this.canReplay()) return false;
    if (kind === 'refused' && this.hold(now)) return true;
    if (!policy.retry.connectFailure || !this.mayRetry(now)) return false;
    // Nothing was sent: another instance can take it at once; the same one gets a backoff.
    return this.retry(kind !== 'reset');
  }

  /** Whether an answer with this status is dropped for a retry (taking the retry from the budget). */
  protected retriesStatus(status: number, now: number): boolean {
    const { policy } = this.route;
    if (policy === null || !policy.retry.statuses.has(status) || !this.idempotent || this.hasBody) return false;
    return this.mayRetry(now);
  }

  /** Whether the failed attempt may be sent again (retry-rules.ts); an HTTP/2 call keeps its body to be. */
  protected canReplay(): boolean {
    return replayable(this.attemptLeft, this.idempotent, this.hasBody);
  }

  protected mayRetry(now: number): boolean {
    const policy = this.route.policy;
    if (policy === null || this.budget === null) return false;
    if (this.attemptCount > policy.retry.attempts || now >= this.deadline) return false;
    if (this.budget.tryWithdraw(now, policy.retry)) return true;
    this.flags |= FLAG.budget;
    return false;
  }

  /** Sends the next attempt: to another instance if there is one, at once when `fast`. */
  protected retry(fast: boolean): boolean {
    const { ref, policy } = this.route;
    if (ref === null || policy === null) return false;
    const failed = this.instance;
    const { balancer } = this.context.resilience;
    const next = balancer.pick(ref, policy, failed, false);
    if (next === null) {
      this.fail({ status: 503, cause: 'no healthy instance left to retry on' });
      return true;
    }
    this.flags |= FLAG.retried;
    this.instance = next.address;
    this.state = balancer.last.state;
    const delay = fast && next.address !== failed ? 0 : this.context.resilience.backoffMs(this.attemptCount - 1, policy.retry);
    if (delay === 0) this.dispatchSafely();
    else if (performance.now() + delay >= this.deadline)
      this.fail({ status: 504, cause: `request timeout (${policy.requestTimeoutMs} ms) ran out before a retry` });
    else this.timer = setTimeout(() => this.dispatchSafely(), delay);
    return true;
  }

  /** Waits for a restarting version when every instance of it refuses connections. */
  private hold(now: number): boolean {
    const { ref, policy } = this.route;
    if (ref === null || policy === null || policy.holdMs <= 0) return false;
    const { book, hold } = this.context.resilience;
    let lastOkAt = 0;
    for (const instance of ref.instances) {
      if (instance.health === 'failing') continue;
      const known = book.peek(instance.address);
      if (known === undefined || !known.refusing) return false;
      if (known.lastOkAt > lastOkAt) lastOkAt = known.lastOkAt;
    }
    const key = `${ref.service}@${ref.version}`;
    if (lastOkAt !== 0 && now - lastOkAt > policy.restartWindowMs) {
      // Down longer than a restart takes: stopped, so the caller is told at once rather than held.
      const down = seconds(now - lastOkAt);
      const window = seconds(policy.restartWindowMs);
      this.fail({
        status: 503,
        cause: `every instance of ${key} refuses connections and has not answered for ${down}, longer than its restart window (${window}): not held`,
      });
      return true;
    }
    if (!hold.shouldHold(key, lastOkAt)) return false;
    if (this.holdDeadline === 0) {
      this.holdStart = now;
      this.holdDeadline = Math.min(this.deadline, now + policy.holdMs);
    }
    if (now >= this.holdDeadline) return false;
    this.flags |= FLAG.held;
    this.waitCancel = hold.wait(key, ref.instances, this.holdDeadline, (target) => this.afterHold(target));
    return true;
  }

  private afterHold(target: HoldTarget | null): void {
    this.waitCancel = null;
    this.heldMs = performance.now() - this.holdStart;
    if (this.finished) return;
    if (target === null) {
      const held = Math.round(this.heldMs);
      this.fail({ status: 503, cause: `every instance refused connections; held ${held} ms for a restart and none came back` });
      return;
    }
    // Not a retry in the budget's sense: nothing was sent, and the service is back to take it.
    this.heldFor = target.address;
    this.instance = target.address;
    this.state = this.context.resilience.book.state(target.address);
    this.state.refusing = false;
    this.dispatchSafely();
  }

  private afterFaultDelay(): void {
    this.timer = null;
    const { fault } = this;
    if (fault === null || !this.abortedBy(fault)) this.dispatchSafely();
  }

  /** Answers as the fault says when it says to abort this request; false when it does not. */
  protected abortedBy(fault: Fault): boolean {
    const abort = fault.abortStatus;
    if (abort === undefined) return false;
    this.fail({ status: abort, cause: `fault injected: abort with ${abort}` });
    return true;
  }

  /**
   * Methods rather than arrow fields, as are the two above: an arrow field is a closure made for
   * every exchange, and these are needed as callbacks only after a delay, a backoff or a hold,
   * where the call site makes one.
   */
  protected dispatchSafely(): void {
    this.timer = null;
    if (this.finished) return;
    try {
      this.dispatch();
    } catch (error) {
      this.attemptOver();
      this.fail(classifyUpstreamError(error as Error));
    }
  }

  /** Book-keeping of an attempt about to be sent; returns its start. */
  protected attemptStarting(): number {
    const now = performance.now();
    if (this.dispatched === null) this.dispatched = now;
    this.attemptCount++;
    this.attemptStart = now;
    this.attemptLeft = false;
    this.inFlight = true;
    if (this.state !== null) this.state.pending++;
    return now;
  }

  protected attemptOver(): void {
    if (!this.inFlight) return;
    this.inFlight = false;
    if (this.state !== null) this.state.pending--;
  }

  protected noteAttempt(status: number, error: string | null): void {
    if (!this.capturing) return;
    const attempt = { instance: this.instance, status, error, ms: Math.round((performance.now() - this.attemptStart) * 100) / 100 };
    if (this.attempts === null) this.attempts = [attempt];
    else this.attempts.push(attempt);
  }
}

/** `0.4 s`, `12 s`: a duration as a person reads it. */
function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1_000).toFixed(1)} s` : `${Math.round(ms / 1_000)} s`;
}
