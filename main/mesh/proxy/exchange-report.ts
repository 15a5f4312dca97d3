/**
 * What a finished exchange tells the event bus beyond the basic facts: its attempts, flags and
 * decision trace ("why did this request go there"), and the capture of headers and bodies for the
 * request log. Built only when someone listens — the proxy keeps bits and numbers while the
 * exchange runs and words them here, once, at the end.
 */
import type { DecisionStep, RequestFlag } from '../../../shared/events.js';
import type { ExchangeCapture } from '../../../shared/exchange.js';
import { grpcStatusName } from '../../../shared/grpc-codes.js';
import type { Fault } from '../../../shared/routes.js';
import type { Resilience } from '../resilience/resilience.js';
import type { AttemptLoop } from './attempt-loop.js';
import type { ExchangeFacts } from './exchange-reporter.js';
import { FLAG, type ForwardExchange } from './forward.js';
import type { TunnelTarget } from './request-target.js';
import type { Refusal } from './router.js';

const FLAG_NAMES: readonly [number, RequestFlag][] = [
  [FLAG.fault, 'fault-injected'],
  [FLAG.retried, 'retried'],
  [FLAG.ejected, 'ejected-instance'],
  [FLAG.held, 'held'],
  [FLAG.panic, 'panic'],
  [FLAG.budget, 'budget-exhausted'],
  [FLAG.tunnelled, 'tunnelled'],
];

export function flagsOf(bits: number): RequestFlag[] {
  const flags: RequestFlag[] = [];
  for (const [bit, name] of FLAG_NAMES) if ((bits & bit) !== 0) flags.push(name);
  return flags;
}

/** An exchange that ran the attempt loop: an HTTP/1.x request or an HTTP/2 call. */
export type RoutedExchange = AttemptLoop & { readonly path: string };

/**
 * The facts of a forwarded exchange's event, HTTP/1.x or HTTP/2 alike; attempts, flags and trace when
 * routed to a service. One object literal, its routed-only fields undefined otherwise (the event
 * leaves them out): a conditional spread here made two more objects per request.
 */
export function forwardedFacts(exchange: RoutedExchange, resilience: Resilience): ExchangeFacts {
  const { route } = exchange;
  const routed = route.kind === 'service';
  return {
    id: exchange.id,
    kind: route.kind,
    service: route.service,
    version: route.version,
    instance: exchange.instance,
    path: exchange.path,
    status: exchange.status,
    error: exchange.error,
    start: exchange.start,
    dispatched: exchange.dispatched,
    connected: exchange.connected,
    firstByte: exchange.firstByte,
    bytesIn: exchange.bytesIn,
    bytesOut: exchange.bytesOut,
    attempts: routed ? (exchange.attempts ?? []) : undefined,
    retries: routed ? Math.max(0, exchange.attemptCount - 1) : undefined,
    flags: routed ? flagsOf(exchange.flags) : undefined,
    decision: routed ? decisionOf(exchange, resilience) : undefined,
  };
}

/**
 * Why the exchange went where it did. Most traces are the version and the instance alone, and are
 * made as a two-slot array; the other steps are gathered only when they apply.
 */
export function decisionOf(exchange: RoutedExchange, resilience: Resilience): DecisionStep[] {
  const { route } = exchange;
  const firstInstance = exchange.attempts?.[0]?.instance ?? route.instance;
  const version: DecisionStep = { step: 'version', choice: route.version, reason: route.versionReason ?? 'not a registered service' };
  const instance: DecisionStep = { step: 'instance', choice: firstInstance, reason: route.instanceReason ?? 'the destination the request named' };
  const before = stepsBefore(exchange);
  const after = stepsAfter(exchange, resilience);
  if (before === null && after === null) return [version, instance];
  return [...(before ?? []), version, instance, ...(after ?? [])];
}

/** How the request came in: inside a client's tunnel, under an alias; null when plainly. */
function stepsBefore(exchange: RoutedExchange): DecisionStep[] | null {
  const { route } = exchange;
  if (exchange.tunnel === null && route.aliasOf === null) return null;
  const steps: DecisionStep[] = [];
  if (exchange.tunnel !== null) steps.push(tunnelStep(exchange.tunnel.authority));
  if (route.aliasOf !== null) steps.push({ step: 'alias', choice: route.service, reason: `route of ${route.aliasOf} aliases it to ${route.service}` });
  return steps;
}

/** What happened on the way once an instance was picked: ejections, a fault, a hold, the retry budget; null when nothing did. */
function stepsAfter(exchange: RoutedExchange, resilience: Resilience): DecisionStep[] | null {
  const { route } = exchange;
  // The version routed to, when ejections had a say in the pick.
  const ejectedFrom = route.ejected > 0 || route.panic ? route.ref : null;
  const held = (exchange.flags & FLAG.held) !== 0;
  // The budget only had a say when a retry was made or refused; counting what is left costs a scan.
  const budget = exchange.attemptCount > 1 || (exchange.flags & FLAG.budget) !== 0 ? route.policy : null;
  if (ejectedFrom === null && exchange.fault === null && !held && budget === null) return null;
  const steps: DecisionStep[] = [];
  if (ejectedFrom !== null) {
    const ejected = ejectedFrom.instances
      .filter((instance) => resilience.book.peek(instance.address)?.isEjected(performance.now()))
      .map((instance) => instance.address);
    const reason = route.panic
      ? `panic: every available instance is ejected (${ejected.join(', ')}); ejections ignored`
      : `${route.ejected} of ${ejectedFrom.instances.length} instances ejected when routed: ${ejected.join(', ') || 'since returned'}`;
    steps.push({ step: 'ejection', choice: null, reason });
  }
  if (exchange.fault !== null) steps.push({ step: 'fault', choice: null, reason: describeFault(exchange.fault) });
  if (held) {
    const heldMs = Math.round(exchange.heldMs);
    const reason =
      exchange.heldFor === null
        ? `held ${heldMs} ms while every instance refused connections; none came back`
        : `held ${heldMs} ms until ${exchange.heldFor} accepted connections again`;
    steps.push({ step: 'hold', choice: exchange.heldFor, reason });
  }
  if (budget !== null) {
    const retries = exchange.attemptCount - 1;
    const left = resilience.budgets.for(route.service).available(performance.now(), budget.retry);
    const rule = `${budget.retry.budgetPercent}% of requests + ${budget.retry.budgetMinPerSecond}/s over ${budget.retry.budgetWindowMs / 1000} s`;
    const spent = (exchange.flags & FLAG.budget) !== 0 ? '; a retry was refused: budget spent' : '';
    steps.push({
      step: 'budget',
      choice: null,
      reason: `${retries} of at most ${budget.retry.attempts} retries used; service budget ${left} left (${rule})${spent}`,
    });
  }
  return steps;
}

/** The facts of a request the proxy refused (answered itself, forwarding nothing). */
export function refusalFacts(refusal: Refusal, path: string, start: number, tunnel: TunnelTarget | null): ExchangeFacts {
  return {
    ...(tunnel === null ? {} : { flags: ['tunnelled' as const], decision: [tunnelStep(tunnel.authority)] }),
    ...refusal,
    service: refusal.service ?? '',
    path,
    error: refusal.cause,
    start,
    dispatched: null,
    firstByte: null,
    bytesIn: 0,
    bytesOut: 0,
  };
}

/** The first step of a request that came inside a client's tunnel, also for its refusals. */
export function tunnelStep(authority: string): DecisionStep {
  return {
    step: 'tunnel',
    choice: null,
    reason: `came inside the client's CONNECT ${authority} tunnel (how Node's fetch, undici and gRPC clients use a proxy); routed on its own like a forward-proxied request`,
  };
}

function describeFault(fault: Fault): string {
  const parts: string[] = [];
  if (fault.delayMs !== undefined || fault.jitterMs !== undefined)
    parts.push(`delay ${fault.delayMs ?? 0} ms${fault.jitterMs ? ` + up to ${fault.jitterMs} ms jitter` : ''}`);
  if (fault.abortStatus !== undefined) parts.push(`abort with ${fault.abortStatus}`);
  if (fault.abortGrpcStatus !== undefined) parts.push(`abort gRPC calls with ${grpcStatusName(fault.abortGrpcStatus)}`);
  const whom = fault.caller === undefined ? '' : ` from ${fault.caller}`;
  return `fault injected: ${parts.join(', then ')} (${fault.percent}% of requests${whom} to ${fault.service})`;
}

/** Headers as captured: Node's raw request headers as they are, undici's raw response headers as bytes. */
export function captureOf(exchange: ForwardExchange): ExchangeCapture {
  const raw = exchange.responseRawHeaders;
  const bytes = raw !== null && raw.every(isBytes) ? (raw as readonly Buffer[]) : null;
  return {
    requestHeaders: exchange.req.rawHeaders,
    responseHeaders: raw === null || bytes !== null ? null : raw.map((part) => (typeof part === 'string' ? part : part.toString('latin1'))),
    responseHeaderBytes: bytes,
    requestBody: exchange.requestBody?.result() ?? null,
    responseBody: exchange.responseBody?.result() ?? null,
  };
}

function isBytes(part: Buffer | string): boolean {
  return typeof part !== 'string';
}
