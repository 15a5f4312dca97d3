/**
 * HAR 1.2 export of the request log: each exchange becomes an entry a HAR viewer can read, checked
 * field by field and against the independent HAR 1.2 validator the e2e tests use.
 * Run: `npx vitest run shared/har.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { validateHar } from '../e2e/fixtures/har-validator.js';
import { MASKED_VALUE } from './exchange.js';
import { exchange } from './testing/exchange-fixture.js';
import { exchangesToHar, exchangeUrl, harTimings } from './har.js';

describe('exchangesToHar', () => {
  it('makes a valid HAR 1.2 log, oldest entry first', () => {
    const har = exchangesToHar([exchange({ id: 9, startedAt: 2_000 }), exchange({ id: 8, startedAt: 1_000 })], { version: '0.1.0', comment: 'service=world' });
    expect(validateHar(har)).toEqual([]);
    expect(har.log.creator).toEqual({ name: 'Meshdesk', version: '0.1.0' });
    expect(har.log.comment).toBe('service=world');
    expect(har.log.entries.map((entry) => entry._meshdesk.id)).toEqual([8, 9]);
  });

  it('carries the request and response as the log captured them', () => {
    const [entry] = exchangesToHar([exchange()], { version: '0.1.0' }).log.entries;
    expect(entry?.startedDateTime).toBe('2026-11-27T03:00:00.250Z');
    expect(entry?.request).toMatchObject({
      method: 'GET',
      url: 'http://world/greet?name=ada&lang=en',
      queryString: [
        { name: 'name', value: 'ada' },
        { name: 'lang', value: 'en' },
      ],
      cookies: [
        { name: 'session', value: 'abc' },
        { name: 'theme', value: 'dark' },
      ],
    });
    // A masked value stays masked.
    expect(entry?.request.headers).toContainEqual({ name: 'authorization', value: MASKED_VALUE });
    expect(entry?.response).toMatchObject({
      status: 200,
      cookies: [{ name: 'seen', value: '1' }],
      content: { size: 9, mimeType: 'text/plain; charset=utf-8', text: 'world v2\n' },
    });
    expect(entry?.serverIPAddress).toBe('127.0.0.1');
    // An external host is a name, not an address: HAR 1.2 leaves the field out then.
    const external = exchangesToHar([exchange({ kind: 'external', service: 'example.test', instance: 'example.test:80' })], { version: '0.1.0' });
    expect(external.log.entries[0]).not.toHaveProperty('serverIPAddress');
    expect(validateHar(JSON.parse(JSON.stringify(external)))).toEqual([]);
    expect(entry?._meshdesk).toMatchObject({ caller: 'hello', service: 'world', version: 'v2', seq: 6, failed: false });
  });

  it('exports binary bodies as base64, posted bodies as postData, and says where capture cut them', () => {
    const [entry] = exchangesToHar(
      [
        exchange({
          method: 'POST',
          requestHeaders: [['content-type', 'application/json']],
          requestBody: { encoding: 'utf8', data: '{"a":1}', size: 7, truncated: false },
          responseHeaders: [['content-type', 'application/octet-stream']],
          responseBody: { encoding: 'base64', data: 'AAEC/w==', size: 70_000, truncated: true },
        }),
      ],
      { version: '0.1.0' },
    ).log.entries;
    expect(entry?.request.postData).toEqual({ mimeType: 'application/json', text: '{"a":1}' });
    expect(entry?.response.content).toEqual({
      size: 70_000,
      mimeType: 'application/octet-stream',
      text: 'AAEC/w==',
      encoding: 'base64',
      comment: 'cut at the capture limit: 4 of 70000 bytes kept',
    });
    expect(entry?.comment).toBe('the response body was cut at the capture limit');
  });

  it('exports an exchange that never got a response', () => {
    const har = exchangesToHar(
      [exchange({ status: 0, error: 'connection refused', timings: { dispatched: 2, firstByte: null, end: 3 }, responseHeaders: null, responseBody: null })],
      { version: '0.1.0' },
    );
    expect(validateHar(har)).toEqual([]);
    expect(har.log.entries[0]?.response).toMatchObject({ status: 0, headers: [], content: { size: 9, mimeType: 'x-unknown' } });
    expect(har.log.entries[0]?.comment).toBe('proxy error: connection refused');
  });

  it('says when a request came inside a CONNECT tunnel, and when a tunnel was opaque TLS', () => {
    const har = exchangesToHar(
      [exchange({ id: 1, startedAt: 1_000, flags: ['tunnelled'] }), exchange({ id: 2, startedAt: 2_000, method: 'CONNECT', flags: ['opaque'] })],
      { version: '0.1.0' },
    );
    expect(validateHar(har)).toEqual([]);
    expect(har.log.entries.map((entry) => entry.comment)).toEqual([
      "sent inside the client's CONNECT tunnel to the service, served by the mesh request by request",
      'an opaque TLS tunnel to the service: the mesh could not see the requests inside it',
    ]);
  });
});

describe('harTimings', () => {
  it('splits the time into queued, waiting and receiving, adding up to the total', () => {
    expect(harTimings({ dispatched: 1.5, firstByte: 11.5, end: 12.25 })).toEqual({
      blocked: 1.5,
      dns: -1,
      connect: -1,
      send: 0,
      wait: 10,
      receive: 0.75,
      ssl: -1,
    });
  });

  it('shows connecting when the event reports when the connection was ready', () => {
    expect(harTimings({ dispatched: 1, connected: 4, firstByte: 10, end: 12 })).toMatchObject({ blocked: 1, connect: 3, wait: 6, receive: 2 });
  });

  it('never gives a negative phase, even from odd timings', () => {
    const timings = harTimings({ dispatched: null, firstByte: null, end: 5 });
    expect(timings).toMatchObject({ blocked: 5, wait: 0, receive: 0 });
  });
});

describe('exchangeUrl', () => {
  it('names the service as the host, and keeps absolute and CONNECT targets', () => {
    expect(exchangeUrl({ service: 'world', path: '/a', method: 'GET' })).toBe('http://world/a');
    expect(exchangeUrl({ service: '127.0.0.1:9', path: 'http://127.0.0.1:9/x', method: 'GET' })).toBe('http://127.0.0.1:9/x');
    expect(exchangeUrl({ service: 'example.test:443', path: 'example.test:443', method: 'CONNECT' })).toBe('https://example.test:443/');
  });
});

describe('validateHar', () => {
  it('catches what breaks the format (so the checks above can fail)', () => {
    const har = exchangesToHar([exchange()], { version: '0.1.0' });
    const broken = structuredClone(har) as unknown as { log: { version: string; entries: Record<string, unknown>[] } };
    broken.log.version = '1.1';
    const first = broken.log.entries[0] as Record<string, unknown>;
    first.time = 999;
    delete first.cache;
    expect(validateHar(broken)).toEqual(['log.entries.0.cache: required field is missing']);
    first.cache = {};
    first.extra = true;
    expect(validateHar(broken)).toEqual(['log.entries.0.extra: unknown field "extra" (custom fields start with _)']);
    delete first.extra;
    expect(validateHar(broken)).toEqual(['log.version: 1.1, not 1.2', 'log.entries.0.time: 999 is not the sum of its timings (12.25)']);
  });
});
