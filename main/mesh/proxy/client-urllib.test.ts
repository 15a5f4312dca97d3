/**
 * Python's standard urllib.request through the proxy, configured by the http_proxy variable only
 * (urlopen's default ProxyHandler reads it): a GET and a POST with a body to a registered service,
 * both sent to the proxy as absolute-URI requests (`GET http://world/... HTTP/1.1`, no CONNECT), and
 * an unregistered host on 127.0.0.1 passed through (urllib proxies loopback addresses too; only
 * no_proxy exempts a host). Runs Debian's /usr/bin/python3, as client-python.test.ts explains.
 * Run: npx vitest run main/mesh/proxy/client-urllib.test.ts
 */
import { describe, expect, it } from 'vitest';
import { echoHandler, run, startProxy, startUpstream } from './testing/harness.js';
import { expectForwardProxiedPair, needClient } from './testing/real-client.js';

const PYTHON = '/usr/bin/python3';

/** Runs a Python snippet with urllib.request imported as `u`, with only `env`'s proxy variables. */
async function urllib(code: string, env: Record<string, string>) {
  await needClient(PYTHON, ['-c', 'import urllib.request'], 'Python 3 is missing at /usr/bin/python3: install the Debian package python3');
  return run(PYTHON, ['-c', `import urllib.request as u\n${code}`], env);
}

describe('python urllib.request', () => {
  it('sends a GET and a POST with a body to a registered service as absolute-URI requests', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const result = await urllib(
      [
        "r = u.urlopen('http://world/u?id=1')",
        'print(r.status, repr(r.read().decode()))',
        "r = u.urlopen(u.Request('http://world/u', data=b'body from urllib', method='POST'))",
        'print(r.status, repr(r.read().decode()))',
      ].join('\n'),
      { http_proxy: harness.url },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual(["200 'world GET /u?id=1 '", "200 'world POST /u body from urllib'"]);
    expectForwardProxiedPair(world, harness.events, '/u', 'body from urllib');
  });

  it('passes an unregistered host through, loopback address included', async () => {
    const outside = await startUpstream(echoHandler('outside'));
    const harness = await startProxy();
    const result = await urllib(`print(u.urlopen('http://127.0.0.1:${outside.port}/passed').read().decode())`, { http_proxy: harness.url });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('outside GET /passed \n');
    expect(outside.requests[0]?.headers.via, 'went through the proxy').toBe('1.1 meshdesk');
    expect(harness.events.map((event) => [event.method, event.kind, event.service, event.path])).toEqual([['GET', 'external', '127.0.0.1', '/passed']]);
  });
});
