/**
 * What counts as a failure for the success rate, and how many retries an event reports. The
 * classifier is configurable (a team may count 429 as failure); the default blames the service or
 * the network, not the client: 5xx, no response at all (status 0), and an error that cut a response
 * that had begun well (a reset mid-body). 4xx are the caller's mistakes and count as successes of
 * the service, as in Linkerd.
 */
import type { RequestEvent } from '../../../shared/events.js';

export type FailureClassifier = (event: RequestEvent) => boolean;

export const defaultIsFailure: FailureClassifier = (event) =>
  event.status === 0 || event.status >= 500 || (event.error !== null && event.status < 400);

/**
 * Retries of one exchange. The field is newer than the event: a `retries` count, or `attempts` (a
 * count, or a list with one entry per attempt) — whichever the proxy reports; 0 when it reports none.
 */
export function retriesOf(event: RequestEvent): number {
  const { retries, attempts } = event as RequestEvent & { retries?: unknown; attempts?: unknown };
  if (typeof retries === 'number') return retries;
  if (typeof attempts === 'number') return Math.max(0, attempts - 1);
  if (Array.isArray(attempts)) return Math.max(0, attempts.length - 1);
  return 0;
}
