/**
 * curl through the proxy, configured both ways users do it (`-x` and the http_proxy/https_proxy
 * variables): every method with bodies, a chunked upload, an SSE stream, a CONNECT tunnel to a
 * local TLS server (as a registered service and passed through), passthrough to an unregistered
 * server, and no_proxy honoured while the proxy still serves everything else.
 * Run: npx vitest run main/mesh/proxy/client-curl.test.ts
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { echoHandler, run, startProxy, startUpstream } from './testing/harness.js';
import { startTlsUpstream } from './testing/tls.js';

async function worldBehindProxy() {
  const world = await startUpstream(echoHandler('world'));
  const harness = await startProxy();
  harness.register({ world: [world.address] });
  return { world, harness };
}

const STATUS = ['-s', '-w', '\n%{http_code}'];

describe('curl', () => {
  it('sends GET, HEAD, POST, PUT and DELETE with bodies through -x', async () => {
    const { harness } = await worldBehindProxy();
    const get = await run('curl', [...STATUS, '-x', harness.url, 'http://world/items?id=1']);
    expect(get.stdout).toBe('world GET /items?id=1 \n200');
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const result = await run('curl', [...STATUS, '-x', harness.url, '-X', method, '--data-binary', `body of ${method}`, 'http://world/items']);
      expect(result.stdout).toBe(`world ${method} /items body of ${method}\n200`);
    }
    const head = await run('curl', ['-s', '-I', '-x', harness.url, 'http://world/items']);
    expect(head.stdout).toMatch(/^HTTP\/1.1 200 OK\r\n/);
    expect(head.stdout).toMatch(/via: 1.1 meshdesk/i);
    const methods = harness.events.map((event) => event.method);
    expect(methods).toEqual(['GET', 'POST', 'PUT', 'DELETE', 'HEAD']);
  });

  it('uses the http_proxy variable, and names the caller from the proxy URL user', async () => {
    const { harness } = await worldBehindProxy();
    const result = await run('curl', [...STATUS, 'http://world/env'], { http_proxy: `http://hello@127.0.0.1:${harness.port}` });
    expect(result.stdout).toBe('world GET /env \n200');
    expect(harness.events[0]).toMatchObject({ caller: 'hello', service: 'world', kind: 'service' });
  });

  it('uploads a chunked body from a file', async () => {
    const { harness } = await worldBehindProxy();
    const file = join(mkdtempSync(join(tmpdir(), 'meshdesk-curl-')), 'upload.txt');
    writeFileSync(file, 'x'.repeat(100_000));
    const result = await run('curl', ['-sv', '-x', harness.url, '-H', 'Transfer-Encoding: chunked', '--data-binary', `@${file}`, 'http://world/up']);
    expect(result.stderr).toMatch(/> Transfer-Encoding: chunked/);
    expect(result.stdout).toBe(`world POST /up ${'x'.repeat(100_000)}`);
  });

  it('streams an SSE response (-N)', async () => {
    const world = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      const timer = setInterval(() => {
        res.write(`data: ${++n}\n\n`);
        if (n === 3) {
          clearInterval(timer);
          res.end();
        }
      }, 20);
    });
    const harness = await startProxy();
    harness.register({ events: [world.address] });
    const result = await run('curl', ['-s', '-N', '-x', harness.url, 'http://events/stream']);
    expect(result.stdout).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\n');
  });

  it('opens CONNECT tunnels: to a registered service, and straight through for other hosts', async () => {
    const tls = await startTlsUpstream((req, res) => res.end(`secure ${req.method} ${req.url}`));
    const harness = await startProxy();
    harness.register({ secure: [tls.address] });
    const routed = await run('curl', [...STATUS, '--cacert', tls.caFile, '-x', harness.url, 'https://secure/private']);
    expect(routed.stdout).toBe('secure GET /private\n200');
    const direct = await run('curl', [...STATUS, '--cacert', tls.caFile, `https://localhost:${tls.port}/direct`], {
      https_proxy: harness.url,
    });
    expect(direct.stdout).toBe('secure GET /direct\n200');
    // A tunnel's event is recorded when it closes, just after curl exits.
    await harness.nextEvent((event) => event.method === 'CONNECT' && event.service === 'localhost');
    const tunnels = harness.events.filter((event) => event.method === 'CONNECT');
    expect(tunnels.map((event) => [event.kind, event.service, event.status])).toEqual([
      ['service', 'secure', 200],
      ['external', 'localhost', 200],
    ]);
    expect(tunnels[0]?.bytesOut).toBeGreaterThan(0);
  });

  it('passes an unregistered host through, and honours no_proxy while the proxy serves the rest', async () => {
    const { harness } = await worldBehindProxy();
    const outside = await startUpstream(echoHandler('outside'));
    const env = { http_proxy: harness.url, no_proxy: 'localhost' };
    const through = await run('curl', [...STATUS, `http://127.0.0.1:${outside.port}/via-proxy`], env);
    expect(through.stdout).toBe('outside GET /via-proxy \n200');
    const bypass = await run('curl', [...STATUS, `http://localhost:${outside.port}/direct`], env);
    expect(bypass.stdout).toBe('outside GET /direct \n200');
    const routed = await run('curl', [...STATUS, 'http://world/still-proxied'], env);
    expect(routed.stdout).toBe('world GET /still-proxied \n200');
    expect(harness.events.map((event) => [event.kind, event.path])).toEqual([
      ['external', '/via-proxy'],
      ['service', '/still-proxied'],
    ]);
    expect(outside.requests.find((req) => req.url === '/direct')?.headers.via, 'no_proxy went direct').toBeUndefined();
  });
});
