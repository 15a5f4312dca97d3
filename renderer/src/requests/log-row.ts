/**
 * One row of the request log view.
 *
 * A row is the request event without captured headers and bodies: the list holds up to the log's
 * full capacity (10,000), so it keeps what a row shows and fetches the rest (getExchange) for the
 * one exchange the user opens. Pushed events and logged exchanges are both parsed with the
 * contract's schemas on the way in, so a row is read as the contract names it; `failed` and
 * `retries` are the mesh's, decided once when it recorded the exchange.
 */
import type { RequestAttempt, RequestEvent, RequestFlag } from '../../../shared/events.js';
import type { Exchange } from '../../../shared/exchange.js';

/** An event as pushed, or an exchange from the log without its capture (then with its `seq`). */
export type LogRow = RequestEvent & { seq?: number };

export function rowFromExchange(exchange: Exchange): LogRow {
  const {
    requestHeaders: _requestHeaders,
    responseHeaders: _responseHeaders,
    requestBody: _requestBody,
    responseBody: _responseBody,
    bodiesDropped: _bodiesDropped,
    ...row
  } = exchange;
  return row;
}

export const FLAG_LABELS: Record<RequestFlag, { short: string; title: string }> = {
  'fault-injected': { short: 'fault', title: 'a fault was injected' },
  retried: { short: 'retry', title: 'retried' },
  'ejected-instance': { short: 'ejected', title: 'instances of its version were ejected when it was routed' },
  held: { short: 'held', title: 'held while the service restarted' },
  panic: { short: 'panic', title: 'ejections were ignored: they left no instance' },
  'budget-exhausted': { short: 'budget', title: 'a retry was wanted but the retry budget was spent' },
  tunnelled: { short: 'tunnel', title: "came inside the client's CONNECT tunnel; routed like any other request" },
  opaque: { short: 'opaque', title: 'a TLS tunnel: the mesh cannot see the requests inside' },
  shadow: { short: 'shadow', title: 'a copy the mesh sent itself to compare versions (shadow traffic); the caller never saw its answer' },
};

/** Every upstream attempt, in order; [] for exchanges that were not routed (refusals, tunnels). */
export function attemptsOf(row: LogRow): RequestAttempt[] {
  return row.attempts ?? [];
}

export function flagsOf(row: LogRow): RequestFlag[] {
  return row.flags ?? [];
}

/** "Why did this request go there", one line a step: `version → v2: header x-meshdesk-route`. */
export function decisionTraceOf(row: LogRow): string[] {
  return (row.decision ?? []).map((step) => `${step.step}${step.choice === null ? '' : ` → ${step.choice}`}: ${step.reason}`);
}
