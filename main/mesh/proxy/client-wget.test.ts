/**
 * GNU wget through the proxy from the http_proxy/https_proxy/no_proxy variables: every method with
 * bodies, a CONNECT tunnel with certificate verification, passthrough, and no_proxy.
 * Run: npx vitest run main/mesh/proxy/client-wget.test.ts
 */
import { describe, expect, it } from 'vitest';
import { echoHandler, run, startProxy, startUpstream } from './testing/harness.js';
import { startTlsUpstream } from './testing/tls.js';

describe('wget', () => {
  it('sends every method with bodies', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const env = { http_proxy: harness.url };
    const get = await run('wget', ['-q', '-O', '-', 'http://world/w'], env);
    expect(get.stdout).toBe('world GET /w ');
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const result = await run('wget', ['-q', '-O', '-', `--method=${method}`, `--body-data=body of ${method}`, 'http://world/w'], env);
      expect(result.stdout).toBe(`world ${method} /w body of ${method}`);
    }
    const head = await run('wget', ['-q', '-S', '-O', '-', '--method=HEAD', 'http://world/w'], env);
    expect(head.code).toBe(0);
    expect(head.stderr).toMatch(/HTTP\/1.1 200 OK/);
    expect(head.stderr).toMatch(/via: 1.1 meshdesk/i);
    expect(harness.events.map((event) => event.method)).toEqual(['GET', 'POST', 'PUT', 'DELETE', 'HEAD']);
  });

  it('tunnels https with verification, passes other hosts through and honours no_proxy', async () => {
    const tls = await startTlsUpstream((req, res) => res.end(`secure ${req.url}`));
    const outside = await startUpstream(echoHandler('outside'));
    const harness = await startProxy();
    harness.register({ secure: [tls.address] });
    const env = { http_proxy: harness.url, https_proxy: harness.url, no_proxy: 'localhost' };
    const tunnelled = await run('wget', ['-q', '-O', '-', `--ca-certificate=${tls.caFile}`, 'https://secure/tunnelled'], env);
    expect(tunnelled.stdout).toBe('secure /tunnelled');
    const passed = await run('wget', ['-q', '-O', '-', `http://127.0.0.1:${outside.port}/passed`], env);
    expect(passed.stdout).toBe('outside GET /passed ');
    const direct = await run('wget', ['-q', '-O', '-', `http://localhost:${outside.port}/direct`], env);
    expect(direct.stdout).toBe('outside GET /direct ');
    await harness.nextEvent((event) => event.method === 'CONNECT'); // recorded when the tunnel closes
    expect(harness.events.map((event) => [event.method, event.kind, event.service]).sort()).toEqual([
      ['CONNECT', 'service', 'secure'],
      ['GET', 'external', '127.0.0.1'],
    ]);
  });

  it('reports a proxy error answer as a failed download', async () => {
    const harness = await startProxy({ mode: 'reject' });
    const result = await run('wget', ['-O', '-', 'http://nowhere.example/'], { http_proxy: harness.url });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/502 Bad Gateway/);
  });
});
