/**
 * What counts as a failure, decided once per exchange when the telemetry records it: the log, the
 * stats, the metrics, the push stream, the CLI and the shell all read the `failed` the event then
 * carries, so they cannot disagree. The classifier is configurable (a team may count 429 as
 * failure); the default blames the service or the network, not the client: 5xx, no response at all
 * (status 0), and an error that cut a response that had begun well (a reset mid-body). 4xx are the
 * caller's mistakes and count as successes of the service, as in Linkerd.
 */
import type { ProxiedExchange, RequestEvent } from '../../../shared/events.js';
import { DEFAULT_GRPC_FAILURE_CODES, parseGrpcStatus } from '../../../shared/grpc-codes.js';

export type FailureClassifier = (event: Pick<ProxiedExchange, 'status' | 'error' | 'grpc'>) => boolean;

/** Says whether a gRPC status counts as the service's failure. */
export type GrpcFailure = (code: number) => boolean;

/** The rule of meshdesk.yaml's `grpcFailureCodes`: the codes listed, by name or number. */
export function grpcFailureRule(codes: readonly (number | string)[]): GrpcFailure {
  const failing = new Uint8Array(17);
  for (const code of codes) {
    const number = typeof code === 'number' ? code : parseGrpcStatus(code);
    if (number !== null) failing[number] = 1;
  }
  // A code past the table is none gRPC defines: a broken answer.
  return (code) => code > 16 || failing[code] === 1;
}

export const defaultGrpcFailure = grpcFailureRule(DEFAULT_GRPC_FAILURE_CODES);

/**
 * A gRPC call is judged by its gRPC status (the HTTP status of a call is 200 whatever happened);
 * no status at all, or an error on the way (the mesh's own answers carry one), fails it.
 */
function grpcCallFailed(grpc: NonNullable<ProxiedExchange['grpc']>, error: string | null, isFailure: GrpcFailure): boolean {
  return error !== null || grpc.status === null || isFailure(grpc.status);
}

export const defaultIsFailure: FailureClassifier = (event) =>
  event.grpc !== undefined
    ? grpcCallFailed(event.grpc, event.error, defaultGrpcFailure)
    : event.status === 0 || event.status >= 500 || (event.error !== null && event.status < 400);

/**
 * The classifier of meshdesk.yaml's `failureStatuses`: the statuses listed (codes such as 429 or
 * "429", classes such as "5xx") fail, and so do connection errors whatever the list says — no
 * answer, or one cut short after a 1xx–3xx status. A status past 599 is none a service should
 * send, and fails too, so that `['5xx']` is exactly defaultIsFailure.
 */
export function statusFailureClassifier(statuses: readonly (number | string)[], grpcFailure: GrpcFailure = defaultGrpcFailure): FailureClassifier {
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
  return (event) =>
    event.grpc !== undefined
      ? grpcCallFailed(event.grpc, event.error, grpcFailure)
      : event.status === 0 || event.status > 599 || failing[event.status] === 1 || (event.error !== null && event.status < 400);
}

/**
 * The proxy's event completed into the recorded one: judged, and with its retries (0 when it was
 * not routed). In place: a copy per exchange would be the one allocation recording otherwise avoids,
 * and once recorded the proxy no longer holds the event.
 */
export function classified(event: ProxiedExchange, isFailure: FailureClassifier): RequestEvent {
  const recorded = event as ProxiedExchange & { failed?: boolean };
  recorded.failed = isFailure(event);
  recorded.retries ??= 0;
  return recorded as RequestEvent;
}
