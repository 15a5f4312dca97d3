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
 * The classifier of meshdesk.yaml's `failureStatuses`: the statuses listed (codes such as 429 or
 * "429", classes such as "5xx") fail, and so do connection errors whatever the list says — no
 * answer, or one cut short after a 1xx–3xx status. A status past 599 is none a service should
 * send, and fails too, so that `['5xx']` is exactly defaultIsFailure.
 */
export function statusFailureClassifier(statuses: readonly (number | string)[]): FailureClassifier {
  // A table by status: the classifier runs once per exchange, on the proxy's thread.
  const failing = new Uint8Array(600);
  for (const status of statuses) {
    const text = String(status);
    if (text.endsWith('xx')) {
      const first = Number(text[0]) * 100;
      failing.fill(1, first, first + 100);
    } else {
      failing[Number(text)] = 1;
    }
  }
  return (event) => event.status === 0 || event.status > 599 || failing[event.status] === 1 || (event.error !== null && event.status < 400);
}

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
