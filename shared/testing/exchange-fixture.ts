/**
 * One exchange for tests, in each shape it takes: as the proxy reports it (`proxiedExchange`), as
 * the telemetry records and pushes it (`event`), and as the admin API returns it from the log
 * (`exchange`: GET /greet on world@v2, with cookies, a masked header and a text body). Each is
 * parsed with its schema, so a fixture that drifts from the contract fails at once.
 */
import { proxiedExchangeSchema, requestEventSchema, type ProxiedExchange, type RequestEvent } from '../events.js';
import { exchangeSchema, MASKED_VALUE, type Exchange } from '../exchange.js';

export function exchange(overrides: Partial<Exchange> = {}): Exchange {
  return exchangeSchema.parse({
    id: 7,
    seq: 6,
    kind: 'service',
    caller: 'hello',
    service: 'world',
    version: 'v2',
    instance: '127.0.0.1:7003',
    method: 'GET',
    path: '/greet?name=ada&lang=en',
    status: 200,
    startedAt: Date.UTC(2026, 10, 27, 3, 0, 0, 250),
    timings: { dispatched: 1.5, firstByte: 11.5, end: 12.25 },
    bytesIn: 0,
    bytesOut: 9,
    error: null,
    failed: false,
    retries: 0,
    requestHeaders: [
      ['Host', 'world'],
      ['Cookie', 'session=abc; theme=dark'],
      ['authorization', MASKED_VALUE],
    ],
    responseHeaders: [
      ['content-type', 'text/plain; charset=utf-8'],
      ['set-cookie', 'seen=1; Path=/'],
      ['x-world-version', 'v2'],
    ],
    requestBody: null,
    responseBody: { encoding: 'utf8', data: 'world v2\n', size: 9, truncated: false },
    bodiesDropped: false,
    ...overrides,
  });
}

/** The exchange's request event, as the telemetry records it and the push stream carries it. */
export function event(overrides: Partial<RequestEvent> = {}): RequestEvent {
  // Parsing strips what only the log adds (seq, headers, bodies).
  return requestEventSchema.parse({ ...exchange(), ...overrides });
}

/** The exchange as the proxy reports it, before the telemetry has judged it (no `failed`). */
export function proxiedExchange(overrides: Partial<ProxiedExchange> = {}): ProxiedExchange {
  const { failed: _failed, retries: _retries, ...reported } = event();
  return proxiedExchangeSchema.parse({ ...reported, ...overrides });
}
