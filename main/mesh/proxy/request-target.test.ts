/**
 * Parsing where a request wants to go, from the request line and Host header: the pure part of
 * routing, checked case by case (the end-to-end behaviour is in routing.test.ts).
 * Run: npx vitest run main/mesh/proxy/request-target.test.ts
 */
import { describe, expect, it } from 'vitest';
import { parseAuthority, parseRequestTarget, serviceNameOf } from './request-target.js';

describe('parseRequestTarget', () => {
  it.each([
    ['http://world/a?b', undefined, { host: 'world', port: 80, authority: 'world', path: '/a?b', absolute: true }],
    ['HTTP://World:8080', undefined, { host: 'world', port: 8080, authority: 'World:8080', path: '/', absolute: true }],
    ['http://world?x=1', undefined, { host: 'world', port: 80, authority: 'world', path: '/?x=1', absolute: true }],
    ['http://user:pw@world/p', undefined, { host: 'world', port: 80, authority: 'world', path: '/p', absolute: true }],
    ['http://[::1]:7002/v6', undefined, { host: '::1', port: 7002, authority: '[::1]:7002', path: '/v6', absolute: true }],
    ['/path', 'World.Mesh:4140', { host: 'world.mesh', port: 4140, authority: 'World.Mesh:4140', path: '/path', absolute: false }],
    ['/path', 'world.', { host: 'world', port: 80, authority: 'world.', path: '/path', absolute: false }],
  ])('%s (Host %s)', (url, host, expected) => {
    expect(parseRequestTarget(url, host)).toEqual(expected);
  });

  it.each([
    ['/path', undefined, /no Host header/],
    ['/path', 'bad host', /malformed Host/],
    ['https://world/', undefined, /CONNECT/],
    ['ftp://world/', undefined, /cannot forward ftp/],
    ['*', 'world', /malformed request target/],
    ['http://world:0/', undefined, /malformed host/],
    ['http://world:70000/', undefined, /malformed host/],
    ['http://world:80x/', undefined, /malformed host/],
    ['http://wor<ld/', undefined, /malformed host/],
    ['http:///nohost', undefined, /malformed host/],
    ['http://::1/', undefined, /malformed host/],
  ])('refuses %s (Host %s)', (url, host, error) => {
    const target = parseRequestTarget(url, host);
    expect(target).toHaveProperty('error');
    expect((target as { error: string }).error).toMatch(error);
  });
});

describe('serviceNameOf and parseAuthority', () => {
  it('strips the documented suffixes, but never to nothing', () => {
    expect(serviceNameOf('world.mesh')).toBe('world');
    expect(serviceNameOf('world.localhost')).toBe('world');
    expect(serviceNameOf('world')).toBe('world');
    expect(serviceNameOf('localhost')).toBe('localhost');
    expect(serviceNameOf('.mesh')).toBe('.mesh');
  });

  it('reads CONNECT authorities with a default port', () => {
    expect(parseAuthority('secure:8443', 443)).toEqual({ host: 'secure', port: 8443 });
    expect(parseAuthority('secure', 443)).toEqual({ host: 'secure', port: 443 });
    expect(parseAuthority('[::1]:443', 443)).toEqual({ host: '::1', port: 443 });
    expect(parseAuthority('[::1]x', 443)).toBeNull();
    expect(parseAuthority('', 443)).toBeNull();
  });
});
