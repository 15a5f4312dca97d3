/**
 * One logged exchange as the admin API returns it (GET /greet on world@v2, with cookies, a masked
 * header and a text body), for tests of what is built from exchanges: HAR, filters.
 */
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
