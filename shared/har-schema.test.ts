/**
 * The HAR 1.2 validator the e2e tests use (e2e/fixtures/har-validator.ts, the published `har-schema`
 * JSON Schemas compiled by ajv): it takes what shared/har.ts exports, and refuses broken documents
 * with messages that say where and what.
 * Run: `npx vitest run shared/har-schema.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { validateHar } from '../e2e/fixtures/har-validator.js';
import { exchange } from './testing/exchange-fixture.js';
import { exchangesToHar } from './har.js';

/** A HAR as the product exports it, read back the way the e2e test reads the downloaded file. */
function exportedHar() {
  const har = exchangesToHar(
    [
      exchange({ id: 1, startedAt: Date.UTC(2026, 10, 27, 3, 0, 0, 0) }),
      exchange({
        id: 2,
        method: 'POST',
        path: '/api/orders',
        status: 201,
        timings: { dispatched: 1, connected: 4, firstByte: 10, end: 12 },
        requestHeaders: [['content-type', 'application/json']],
        requestBody: { encoding: 'utf8', data: '{"a":1}', size: 7, truncated: false },
        responseHeaders: [['content-type', 'application/octet-stream']],
        responseBody: { encoding: 'base64', data: 'AAEC/w==', size: 70_000, truncated: true },
      }),
      exchange({
        id: 3,
        status: 0,
        error: 'connection refused',
        timings: { dispatched: 2, firstByte: null, end: 3 },
        responseHeaders: null,
        responseBody: null,
      }),
      exchange({ id: 4, status: 302, responseHeaders: [['location', '/elsewhere']], responseBody: null, bodiesDropped: true }),
    ],
    { version: '0.1.0', comment: 'service=world' },
  );
  return JSON.parse(JSON.stringify(har)) as { log: { version?: string; entries: LooseEntry[] } };
}

type LooseEntry = Record<string, unknown> & { request: Record<string, unknown>; timings: Record<string, unknown> };

function entryOf(har: { log: { entries: LooseEntry[] } }, index: number): LooseEntry {
  const entry = har.log.entries[index];
  if (!entry) throw new Error(`no entry ${index}`);
  return entry;
}

describe('validateHar (published HAR 1.2 schema)', () => {
  it("accepts the product's own export", () => {
    const har = exportedHar();
    expect(har.log.entries).toHaveLength(4);
    expect(validateHar(har)).toEqual([]);
  });

  it('refuses a log without a version', () => {
    const har = exportedHar();
    delete har.log.version;
    expect(validateHar(har)).toEqual(['log.version: required field is missing']);
  });

  it('refuses an entry without a request', () => {
    const har = exportedHar();
    delete (entryOf(har, 1) as Record<string, unknown>).request;
    expect(validateHar(har)).toEqual(['log.entries.1.request: required field is missing']);
  });

  it('refuses a negative timing, and -1 where the spec does not allow it', () => {
    const har = exportedHar();
    const timings = entryOf(har, 0).timings;
    timings.blocked = -5;
    expect(validateHar(har)).toEqual(['log.entries.0.timings.blocked: must be >= -1']);
    timings.blocked = 1.5;
    timings.wait = -1;
    timings.receive = 10.75;
    expect(validateHar(har)).toEqual(['log.entries.0.timings.wait: -1, but send, wait and receive must be non-negative']);
  });

  it('refuses a timing that is not a number', () => {
    const har = exportedHar();
    entryOf(har, 0).timings.wait = '10';
    expect(validateHar(har)).toEqual(['log.entries.0.timings.wait: must be number']);
  });

  it('refuses headers of the wrong type', () => {
    const har = exportedHar();
    entryOf(har, 0).request.headers = { Host: 'world' };
    expect(validateHar(har)).toEqual(['log.entries.0.request.headers: must be array']);
    entryOf(har, 0).request.headers = [{ name: 'Host', value: 7 }, { name: 'Accept' }];
    expect(validateHar(har)).toEqual([
      'log.entries.0.request.headers.0.value: must be string',
      'log.entries.0.request.headers.1.value: required field is missing',
    ]);
  });

  it('refuses dates without a time zone, URLs that are not URIs, and server addresses that are not IPs', () => {
    const har = exportedHar();
    const entry = entryOf(har, 0);
    entry.startedDateTime = '2026-11-27 03:00:00';
    entry.request.url = 'not a url';
    entry.serverIPAddress = 'world.local';
    expect(validateHar(har)).toEqual([
      'log.entries.0.startedDateTime: must match pattern "^(\\d{4})(-)?(\\d\\d)(-)?(\\d\\d)(T)?(\\d\\d)(:)?(\\d\\d)(:)?(\\d\\d)(\\.\\d+)?(Z|([+-])(\\d\\d)(:)?(\\d\\d))"',
      'log.entries.0.startedDateTime: must match format "date-time"',
      'log.entries.0.request.url: must match format "uri"',
      'log.entries.0.serverIPAddress: must match format "ipv4" or must match format "ipv6"',
    ]);
  });

  it('keeps to the spec where the schema is loose: custom field names, version 1.2, time as the sum of the timings', () => {
    const har = exportedHar();
    const entry = entryOf(har, 0);
    entry.extra = true;
    entry._extra = true;
    expect(validateHar(har)).toEqual(['log.entries.0.extra: unknown field "extra" (custom fields start with _)']);
    delete entry.extra;
    har.log.version = '1.1';
    entry.time = 999;
    expect(validateHar(har)).toEqual(['log.version: 1.1, not 1.2', 'log.entries.0.time: 999 is not the sum of its timings (12.25)']);
  });
});
