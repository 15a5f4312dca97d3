/**
 * "Copy as curl" builds a command that goes through the mesh and sends what the original sent,
 * leaving out what the proxy or curl add and what the mesh masked. (The e2e test runs it with
 * curl against a real service.) Run: `npx vitest run renderer/src/requests/curl-command.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { MASKED_VALUE } from '../../../shared/exchange.js';
import { curlCommand, quote, type CurlSource } from './curl-command.js';

const get: CurlSource = {
  method: 'GET',
  service: 'world',
  path: '/greet?name=ada',
  requestHeaders: [
    ['Host', 'world'],
    ['User-Agent', 'undici'],
    ['accept', '*/*'],
    ['x-request-id', "it's 7"],
    ['Authorization', MASKED_VALUE],
    ['Via', '1.1 meshdesk'],
    ['connection', 'keep-alive'],
  ],
  requestBody: null,
};

describe('curlCommand', () => {
  it('sends the request through the proxy with its own headers, minus masked and proxy ones', () => {
    expect(curlCommand(get, { proxyUrl: 'http://127.0.0.1:4140' })).toBe(
      [
        '# masked by the mesh and left out: authorization',
        `curl -x http://127.0.0.1:4140 'http://world/greet?name=ada' -H 'User-Agent: undici' -H 'accept: */*' -H 'x-request-id: it'\\''s 7'`,
      ].join('\n'),
    );
  });

  it('sends revealed values when asked', () => {
    const revealed = { ...get, requestHeaders: [['Authorization', 'Bearer abc']] as [string, string][] };
    expect(curlCommand(revealed, { proxyUrl: 'http://p:1', includeMasked: true })).toBe(
      `curl -x http://p:1 'http://world/greet?name=ada' -H 'Authorization: Bearer abc' -H User-Agent: -H Accept:`,
    );
  });

  it('posts a text body as is, and stops curl adding a content type the original did not have', () => {
    const post: CurlSource = {
      method: 'POST',
      service: 'world',
      path: '/',
      requestHeaders: [['x', '']],
      requestBody: { encoding: 'utf8', data: "{'a': 1}\n", size: 9, truncated: false },
    };
    expect(curlCommand(post, { proxyUrl: 'http://p:1' })).toBe(
      `curl -x http://p:1 -X POST http://world/ -H 'x;' -H User-Agent: -H Accept: -H Content-Type: --data-binary '{'\\''a'\\'': 1}\n'`,
    );
  });

  it('pipes a binary body through base64 -d, and says when capture cut it', () => {
    const put: CurlSource = {
      method: 'PUT',
      service: 'world',
      path: '/bin',
      requestHeaders: null,
      requestBody: { encoding: 'base64', data: 'AAEC', size: 100, truncated: true },
    };
    expect(curlCommand(put, { proxyUrl: 'http://p:1' })).toBe(
      [
        '# the body was cut at the capture limit: this sends its first part only (100 bytes in all)',
        "printf '%s' AAEC | base64 -d | curl -x http://p:1 -X PUT http://world/bin --data-binary @-",
      ].join('\n'),
    );
  });

  it('sends HEAD with --head', () => {
    expect(curlCommand({ ...get, method: 'HEAD', requestHeaders: null }, { proxyUrl: 'http://p:1' })).toBe(
      "curl -x http://p:1 --head 'http://world/greet?name=ada'",
    );
  });
});

describe('quote', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    expect(quote('http://a/b?c=d')).toBe("'http://a/b?c=d'");
    expect(quote('plain-word_1.2')).toBe('plain-word_1.2');
    expect(quote("a'b")).toBe(`'a'\\''b'`);
    expect(quote('$HOME `x`')).toBe("'$HOME `x`'");
  });
});
