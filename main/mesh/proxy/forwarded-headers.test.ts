/**
 * Correct proxying of headers, both directions, as a real upstream and a raw client see them:
 * hop-by-hop headers (and those Connection names) removed, end-to-end ones kept with duplicates,
 * Via and X-Forwarded-* added, the caller header consumed.
 * Run: npx vitest run main/mesh/proxy/forwarded-headers.test.ts
 */
import { describe, expect, it } from 'vitest';
import { meshHops } from './forwarded-headers.js';
import { startProxy, startUpstream } from './testing/harness.js';
import { hasResponses, rawRequest } from './testing/raw-client.js';

function headerLines(text: string): string[] {
  return (text.split('\r\n\r\n')[0] ?? '')
    .split('\r\n')
    .slice(1)
    .map((line) => line.toLowerCase());
}

describe('forwarded headers', () => {
  it('strips hop-by-hop request headers and adds Via and X-Forwarded-*', async () => {
    let seen: string[] = [];
    const world = await startUpstream((req, res) => {
      seen = req.rawHeaders.map((part, i) => (i % 2 === 0 ? part.toLowerCase() : part));
      res.end('ok');
    });
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const request = [
      'GET http://world/h HTTP/1.1',
      'Host: world',
      'Connection: keep-alive, X-Private',
      'X-Private: secret-to-this-hop',
      'Proxy-Connection: keep-alive',
      'Proxy-Authorization: Basic aGVsbG86',
      'Keep-Alive: timeout=5',
      'TE: trailers',
      'Trailer: X-Sum',
      'Upgrade: h2c',
      'X-Meshdesk-Caller: hello',
      'Accept: text/plain',
      'X-Dup: one',
      'X-Dup: two',
      'Via: 1.1 corporate-proxy',
      '',
      '',
    ].join('\r\n');
    const answer = await rawRequest(harness.port, request, { until: hasResponses(1) });
    expect(answer.text).toMatch(/^HTTP\/1.1 200/);
    const names = seen.filter((_, i) => i % 2 === 0);
    for (const hop of ['x-private', 'proxy-connection', 'proxy-authorization', 'keep-alive', 'te', 'trailer', 'upgrade', 'x-meshdesk-caller']) {
      expect(names, hop).not.toContain(hop);
    }
    const value = (name: string) => seen.filter((_, i) => i > 0 && seen[i - 1] === name);
    expect(value('connection'), "only the proxy's own connection header").toEqual(['keep-alive']);
    expect(value('accept')).toEqual(['text/plain']);
    expect(value('x-dup')).toEqual(['one', 'two']);
    expect(value('via')).toEqual(['1.1 corporate-proxy, 1.1 meshdesk']);
    expect(value('x-forwarded-for')).toEqual(['127.0.0.1']);
    expect(value('x-forwarded-proto')).toEqual(['http']);
    expect(value('x-forwarded-host')).toEqual(['world']);
    const event = await harness.nextEvent((e) => e.path === '/h');
    expect(event.caller, 'the caller header is read, then consumed').toBe('hello');
  });

  it('strips hop-by-hop response headers and adds Via', async () => {
    const world = await startUpstream((req, res) => {
      res.writeHead(200, {
        connection: 'X-Upstream-Private',
        'x-upstream-private': 'no',
        'keep-alive': 'timeout=99',
        'proxy-authenticate': 'Basic',
        'set-cookie': ['a=1', 'b=2'],
        'x-kept': 'yes',
      });
      res.end('ok');
    });
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const answer = await rawRequest(harness.port, 'GET http://world/ HTTP/1.1\r\nHost: world\r\n\r\n', { until: hasResponses(1) });
    const lines = headerLines(answer.text);
    expect(lines).toContain('x-kept: yes');
    expect(lines).toContain('set-cookie: a=1');
    expect(lines).toContain('set-cookie: b=2');
    expect(lines).toContain('via: 1.1 meshdesk');
    expect(lines.some((line) => line.startsWith('x-upstream-private'))).toBe(false);
    expect(lines.some((line) => line.startsWith('keep-alive: timeout=99'))).toBe(false);
    expect(lines.some((line) => line.startsWith('proxy-authenticate'))).toBe(false);
  });

  it('counts only our own Via entries as mesh hops', () => {
    expect(meshHops(undefined)).toBe(0);
    expect(meshHops('1.1 squid')).toBe(0);
    expect(meshHops('1.1 meshdesk, 1.0 squid, 1.0 meshdesk')).toBe(2);
    expect(meshHops(['1.1 meshdesk', '1.1 meshdesk'])).toBe(2);
    expect(meshHops('1.1 not-meshdesk-really')).toBe(0);
  });
});
