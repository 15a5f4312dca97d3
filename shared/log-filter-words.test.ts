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

  it('reads a gRPC status by name in any case, or by number', () => {
    expect(parseFilterWords('grpc-status=unavailable')).toEqual({ filter: { grpcStatus: 'UNAVAILABLE' }, errors: [] });
    expect(parseFilterWords('grpc-status=14')).toEqual({ filter: { grpcStatus: '14' }, errors: [] });
    expect(parseFilterWords('GRPC-STATUS=Deadline_Exceeded').filter).toEqual({ grpcStatus: 'DEADLINE_EXCEEDED' });
    expect(parseFilterWords('grpc-status=0').filter).toEqual({ grpcStatus: '0' });
  });

  it('refuses a gRPC status that is none, naming the word', () => {
    for (const value of ['NOPE', '17', '-1', '']) {
      const { filter, errors } = parseFilterWords(`service=greeter grpc-status=${value}`);
      expect(filter).toEqual({ service: 'greeter' });
      expect(errors).toEqual([`grpc-status=${value}: grpc-status takes a gRPC status name such as UNAVAILABLE (any case) or a code from 0 to 16`]);
    }
    // The admin API refuses it too, in its own parameter's name.
    expect(logQuerySchema.safeParse({ grpcStatus: 'NOPE' }).error?.issues[0]?.message).toMatch(/^grpcStatus is a gRPC status name like UNAVAILABLE/);
  });

  it('tells method=, the exact HTTP method, from method~, text in the method', () => {
    expect(parseFilterWords('method=get').filter).toEqual({ method: 'GET' });
    expect(parseFilterWords('method~Greeter/Say').filter).toEqual({ methodContains: 'Greeter/Say' });
    expect(parseFilterWords('method=POST method~SayHello').filter).toEqual({ method: 'POST', methodContains: 'SayHello' });
    expect(parseFilterWords('method=~Say').errors).toEqual(['method=~Say: method takes = (path and method take ~ for text, path =~ for a pattern)']);
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
    expect(errors[0]).toMatch(/^servce=world: unknown filter "servce" \(known: service, .*, status, grpc-status, path, /);
    expect(errors.join('\n')).toMatch(/min=soon: min takes a duration/);
    expect(errors.join('\n')).toMatch(/errors=maybe: errors takes true or false/);
    expect(errors.join('\n')).toMatch(/header:=1: name the header/);
    expect(errors.join('\n')).toMatch(/^status: status is a class like 5xx/m);
    expect(errors.join('\n')).toMatch(/^path=~: pathRegex is not a valid regular expression/m);
  });

  it('refuses ~ on keys that compare exactly', () => {
    expect(parseFilterWords('service~wor').errors).toEqual(['service~wor: service takes = (path and method take ~ for text, path =~ for a pattern)']);
    expect(parseFilterWords('grpc-status~UNAV').errors).toEqual([
      'grpc-status~UNAV: grpc-status takes = (path and method take ~ for text, path =~ for a pattern)',
    ]);
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
    { service: 'greeter', grpcStatus: 'UNAVAILABLE', methodContains: '/helloworld.Greeter/' },
    { method: 'POST', methodContains: 'say hello', grpcStatus: '14', text: 'refused' },
  ];

  it.each(filters.map((filter) => [formatFilterWords(filter), filter] as const))('round-trips %s', (words, filter) => {
    expect(parseFilterWords(words)).toEqual({ filter, errors: [] });
  });

  it('writes words in a fixed order a person can read', () => {
    expect(formatFilterWords({ text: 'boom', status: '5xx', service: 'world', minLatencyMs: 250, errorsOnly: true })).toBe(
      'service=world status=5xx min=250ms errors boom',
    );
    expect(formatFilterWords({ path: '/x', methodContains: 'Say', grpcStatus: 'UNAVAILABLE', method: 'POST' })).toBe(
      'method=POST grpc-status=UNAVAILABLE method~Say path~/x',
    );
  });
});
