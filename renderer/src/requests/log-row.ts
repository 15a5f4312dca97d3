/**
 * One row of the request log view, and the fields of it that not every event has.
 *
 * A row is the request event without captured headers and bodies: the list holds up to the log's
 * full capacity (10,000), so it keeps what a row shows and fetches the rest (getExchange) for the
 * one exchange the user opens. The proxy and routing work add fields to events as they land
 * (attempts, a decision trace, flags); the wire schema lets them through, and this module reads
 * them as the contract names them (events.ts: attempts, retries, flags, decision) and tolerates
 * their absence, so rows from an older mesh or a refusal still show.
 */
import type { RequestAttempt, RequestEvent, RequestFlag } from '../../../shared/events.js';
import type { Exchange } from '../../../shared/exchange.js';

/** An event as pushed, or an exchange from the log without its capture; newer fields ride along. */
export type LogRow = RequestEvent & { failed?: boolean; seq?: number; [extra: string]: unknown };

const CAPTURE_FIELDS = new Set(['requestHeaders', 'responseHeaders', 'requestBody', 'responseBody', 'bodiesDropped']);

export function rowFromExchange(exchange: Exchange): LogRow {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(exchange)) if (!CAPTURE_FIELDS.has(key)) row[key] = value;
  return row as LogRow;
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
};

/** Retries: the event's count, else one fewer than its attempts. */
export function retriesOf(row: LogRow): number {
  return row.retries ?? Math.max(0, (row.attempts?.length ?? 0) - 1);
}

/** Every upstream attempt, in order; [] for exchanges that list none (refusals, tunnels, older meshes). */
export function attemptsOf(row: LogRow): RequestAttempt[] {
  return Array.isArray(row.attempts) ? row.attempts : [];
}

/** The event's flags, with `retried` also when it reports retries but not the flag. */
export function flagsOf(row: LogRow): RequestFlag[] {
  const flags: RequestFlag[] = Array.isArray(row.flags) ? row.flags.filter((flag) => flag in FLAG_LABELS) : [];
  if (retriesOf(row) > 0 && !flags.includes('retried')) flags.push('retried');
  return flags;
}

/** "Why did this request go there", one line a step: `version → v2: header x-meshdesk-route`. */
export function decisionTraceOf(row: LogRow): string[] {
  if (!Array.isArray(row.decision)) return [];
  return row.decision.map((step) => `${step.step}${step.choice === null ? '' : ` → ${step.choice}`}: ${step.reason}`);
}

/** The mesh's own failure rule when the row does not say (mirrors telemetry's default classifier). */
export function failedOf(row: LogRow): boolean {
  if (typeof row.failed === 'boolean') return row.failed;
  return row.status === 0 || row.status >= 500 || (row.error !== null && row.status < 400);
}
