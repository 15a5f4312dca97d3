/**
 * The filter in the page's address: what the graph's "show requests here" links with, filter
 * words in `q`, bad parameters named, and the round trip. Run: `npx vitest run renderer/src/requests/url-filter.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { parseLocation } from '../navigation.js';
import { filterFromParams, paramsFromFilter } from './url-filter.js';

describe('filterFromParams', () => {
  it('opens the log filtered from a graph link', () => {
    const { page, params } = parseLocation('#/requests?service=world&version=v2&caller=hello');
    expect(page).toBe('requests');
    expect(filterFromParams(params)).toEqual({ filter: { service: 'world', version: 'v2', caller: 'hello' }, errors: [] });
  });

  it('takes every query parameter of the admin API, coerced as it coerces them', () => {
    const params = new URLSearchParams(
      'method=post&status=5xx&pathRegex=^/a&minLatencyMs=250&errorsOnly=true&headerName=x-id&headerValue=7&text=boom&kind=service&instance=a:1&path=/x',
    );
    expect(filterFromParams(params).filter).toEqual({
      method: 'POST',
      status: '5xx',
      pathRegex: '^/a',
      minLatencyMs: 250,
      errorsOnly: true,
      headerName: 'x-id',
      headerValue: '7',
      text: 'boom',
      kind: 'service',
      instance: 'a:1',
      path: '/x',
    });
  });

  it('takes the gRPC words and parameters: grpc-status and method~', () => {
    expect(filterFromParams(new URLSearchParams('q=grpc-status=unavailable method~SayHello'))).toEqual({
      filter: { grpcStatus: 'UNAVAILABLE', methodContains: 'SayHello' },
      errors: [],
    });
    expect(filterFromParams(new URLSearchParams('grpcStatus=deadline_exceeded&methodContains=Greeter')).filter).toEqual({
      grpcStatus: 'DEADLINE_EXCEEDED',
      methodContains: 'Greeter',
    });
    expect(filterFromParams(new URLSearchParams('grpcStatus=14')).filter).toEqual({ grpcStatus: '14' });
  });

  it('names a bad gRPC status, as a word or a parameter', () => {
    expect(filterFromParams(new URLSearchParams('q=grpc-status=NOPE service=greeter'))).toEqual({
      filter: { service: 'greeter' },
      errors: ['grpc-status=NOPE: grpc-status takes a gRPC status name such as UNAVAILABLE (any case) or a code from 0 to 16'],
    });
    const { filter, errors } = filterFromParams(new URLSearchParams('grpcStatus=NOPE&service=greeter'));
    expect(filter).toEqual({ service: 'greeter' });
    expect(errors).toEqual(['grpcStatus=NOPE: grpcStatus is a gRPC status name like UNAVAILABLE (any case) or a code from 0 to 16']);
  });

  it('combines filter words with named parameters, which win', () => {
    expect(filterFromParams(new URLSearchParams('q=service=world errors&service=hello')).filter).toEqual({ service: 'hello', errorsOnly: true });
  });

  it('names a bad parameter and keeps the rest', () => {
    const { filter, errors } = filterFromParams(new URLSearchParams('status=7xx&service=world&minLatencyMs=soon'));
    expect(filter).toEqual({ service: 'world' });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^status=7xx: /);
  });
});

describe('paramsFromFilter', () => {
  it('writes the filter as words that read back the same', () => {
    const filter = { service: 'world', status: '5xx', minLatencyMs: 200, headerName: 'x-id' };
    const params = paramsFromFilter(filter);
    expect(params.toString()).toBe('q=service%3Dworld+status%3D5xx+min%3D200ms+header%3Ax-id');
    expect(filterFromParams(params).filter).toEqual(filter);
    expect(paramsFromFilter({}).toString()).toBe('');
  });

  it('writes the gRPC filters as their words', () => {
    const filter = { service: 'greeter', grpcStatus: 'UNAVAILABLE', methodContains: '/helloworld.Greeter/' };
    const params = paramsFromFilter(filter);
    expect(params.get('q')).toBe('service=greeter grpc-status=UNAVAILABLE method~/helloworld.Greeter/');
    expect(filterFromParams(params).filter).toEqual(filter);
  });
});
