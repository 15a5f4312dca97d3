// The failure classifier built from meshdesk.yaml's failureStatuses: listed codes and classes fail,
// connection errors always do, and the default list is the default classifier.
// Run: npx vitest run main/mesh/telemetry/classify.test.ts
import { describe, expect, it } from 'vitest';
import { proxiedExchange } from '../../../shared/testing/exchange-fixture.js';
import { defaultIsFailure, grpcFailureRule, statusFailureClassifier } from './classify.js';

const event = (status: number, error: string | null = null) => proxiedExchange({ status, error });

/** Every status a proxy can report, each answered cleanly and cut short by an error. */
const EVERY = [0, 100, 101, 200, 204, 301, 304, 400, 404, 429, 499, 500, 502, 503, 599, 600, 999].flatMap((status) => [
  event(status),
  event(status, 'upstream reset'),
]);

describe('statusFailureClassifier', () => {
  it('with ["5xx"] classifies every exchange as the default classifier does', () => {
    const fromConfig = statusFailureClassifier(['5xx']);
    for (const exchange of EVERY) expect(fromConfig(exchange), `${exchange.status} ${exchange.error}`).toBe(defaultIsFailure(exchange));
  });

  it('fails the listed codes, quoted or not, and classes, and nothing else that was answered', () => {
    const isFailure = statusFailureClassifier(['404', 429, '3xx']);
    const failing = EVERY.filter((exchange) => exchange.error === null && isFailure(exchange)).map((exchange) => exchange.status);
    expect(failing).toEqual([0, 301, 304, 404, 429, 600, 999]);
  });

  it('always fails connection errors, even with an empty list', () => {
    const isFailure = statusFailureClassifier([]);
    expect(isFailure(event(0, 'connection refused'))).toBe(true);
    expect(isFailure(event(200, 'upstream reset'))).toBe(true);
    expect(isFailure(event(500))).toBe(false);
    expect(isFailure(event(500, 'upstream reset'))).toBe(false);
  });
});

describe('gRPC calls', () => {
  const call = (status: number | null, error: string | null = null) => proxiedExchange({ status: 200, error, grpc: { status, message: null } });

  it('are judged by their gRPC status, by default failing those that blame the server', () => {
    const failing = Array.from({ length: 17 }, (_, code) => code).filter((code) => defaultIsFailure(call(code)));
    expect(failing).toEqual([2, 4, 8, 12, 13, 14, 15]);
    expect(statusFailureClassifier(['5xx'])(call(14))).toBe(true);
  });

  it('fail with no status or an error on the way, whatever the list', () => {
    const isFailure = statusFailureClassifier(['5xx'], grpcFailureRule([]));
    expect(isFailure(call(null))).toBe(true);
    expect(isFailure(call(0, 'client aborted'))).toBe(true);
    expect(isFailure(call(14))).toBe(false);
  });

  it('follow grpcFailureCodes, by name in any case or number', () => {
    const isFailure = statusFailureClassifier(['5xx'], grpcFailureRule(['not_found', 7]));
    const failing = Array.from({ length: 17 }, (_, code) => code).filter((code) => isFailure(call(code)));
    expect(failing).toEqual([5, 7]);
  });
});
