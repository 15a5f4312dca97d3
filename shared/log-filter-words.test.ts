/**
 * The filter words shared by the dashboard's filter bar and `meshdesk tap`: every word of the
 * language, free text, quoting, errors named by the word the user typed, and the round trip
 * words → filter → words. Run: `npx vitest run shared/log-filter-words.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { logQuerySchema } from './exchange.js';
import { formatFilterWords, isEmptyFilter, parseDuration, parseFilterWords, type LogFilter } from './log-filter-words.js';

describe('parseFilterWords', () => {
  it('reads a query using every kind of word into the admin API query', () => {
    const { filter, errors } = parseFilterWords('service=world status=5xx method=get path~/api min=200ms errors header:x-id=7 free text');
    expect(errors).toEqual([]);
    expect(filter).toEqual({
      service: 'world',
      status: '5xx',
      method: 'GET',
      path: '/api',
      minLatencyMs: 200,
      errorsOnly: true,
      headerName: 'x-id',
      headerValue: '7',
      text: 'free text',
    });
    // What the words give is a valid query for the admin API as it stands.
    expect(logQuerySchema.safeParse(filter).success).toBe(true);
  });

  it('reads every key', () => {
    const { filter, errors } = parseFilterWords('caller=hello version=v2 instance=127.0.0.1:7003 kind=external status=404');
    expect(errors).toEqual([]);
    expect(filter).toEqual({ caller: 'hello', version: 'v2', instance: '127.0.0.1:7003', kind: 'external', status: '404' });
  });

  it('tells a path that contains text from a path pattern', () => {
    expect(parseFilterWords('path~/api/').filter).toEqual({ path: '/api/' });
    expect(parseFilterWords('path=/api').filter).toEqual({ path: '/api' });
    expect(parseFilterWords('path=~^/api/v[0-9]+$').filter).toEqual({ pathRegex: '^/api/v[0-9]+$' });
  });

  it('takes durations in ms, s, or bare milliseconds', () => {
    expect(parseFilterWords('min=1.5s').filter.minLatencyMs).toBe(1500);
    expect(parseFilterWords('min=250').filter.minLatencyMs).toBe(250);
    expect(parseDuration('12MS')).toBe(12);
    expect(parseDuration('fast')).toBeNull();
  });

  it('reads a header by name alone, or with the text its value contains', () => {
    expect(parseFilterWords('header:X-Request-Id').filter).toEqual({ headerName: 'X-Request-Id' });
    expect(parseFilterWords('header:cookie=a=b').filter).toEqual({ headerName: 'cookie', headerValue: 'a=b' });
  });

  it('keeps quoted words together and quoted filters as text', () => {
    expect(parseFilterWords('service="my service" "status=500" "errors"').filter).toEqual({ service: 'my service', text: 'status=500 errors' });
    expect(parseFilterWords('header:x-note="a \\"quoted\\" value"').filter).toEqual({ headerName: 'x-note', headerValue: 'a "quoted" value' });
  });

  it('names the word for each mistake and still uses the others', () => {
    const { filter, errors } = parseFilterWords('servce=world status=6xx path=~( min=soon errors=maybe caller=hello header:=1');
    expect(filter).toEqual({ caller: 'hello' });
    expect(errors).toHaveLength(6);
    expect(errors[0]).toMatch(/^servce=world: unknown filter "servce"/);
    expect(errors.join('\n')).toMatch(/min=soon: min takes a duration/);
    expect(errors.join('\n')).toMatch(/errors=maybe: errors takes true or false/);
    expect(errors.join('\n')).toMatch(/header:=1: name the header/);
    expect(errors.join('\n')).toMatch(/^status: status is a class like 5xx/m);
    expect(errors.join('\n')).toMatch(/^path=~: pathRegex is not a valid regular expression/m);
  });

  it('refuses ~ on keys that compare exactly', () => {
    expect(parseFilterWords('service~wor').errors).toEqual(['service~wor: service takes = (path takes ~ for text, =~ for a pattern)']);
  });

  it('gives an empty filter for blank input', () => {
    const { filter, errors } = parseFilterWords('   ');
    expect(errors).toEqual([]);
    expect(isEmptyFilter(filter)).toBe(true);
    expect(isEmptyFilter({ errorsOnly: false, service: '' })).toBe(true);
    expect(isEmptyFilter({ service: 'world' })).toBe(false);
  });
});

describe('formatFilterWords', () => {
  const filters: LogFilter[] = [
    { service: 'world', version: 'v2', caller: 'hello' },
    { method: 'POST', status: '5xx', path: '/api', minLatencyMs: 200, errorsOnly: true },
    { pathRegex: '^/api/v\\d+ $', headerName: 'x-id', headerValue: 'a "b"' },
    { headerName: 'x-only' },
    { text: 'errors status=500 header:x plain' },
    { service: 'two words', instance: '127.0.0.1:7002', kind: 'service' },
  ];

  it.each(filters.map((filter) => [formatFilterWords(filter), filter] as const))('round-trips %s', (words, filter) => {
    expect(parseFilterWords(words)).toEqual({ filter, errors: [] });
  });

  it('writes words in a fixed order a person can read', () => {
    expect(formatFilterWords({ text: 'boom', status: '5xx', service: 'world', minLatencyMs: 250, errorsOnly: true })).toBe(
      'service=world status=5xx min=250ms errors boom',
    );
  });
});
