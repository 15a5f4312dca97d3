/**
 * Python's httpx through the proxy from the environment (httpx honours the proxy variables while
 * trust_env is on, its default): HTTP_PROXY and, as a fallback for every scheme, ALL_PROXY. A GET
 * and a POST with a body to a registered service, both sent to the proxy as absolute-URI requests
 * (no CONNECT for http://), a GET from ALL_PROXY alone, and an unregistered host on 127.0.0.1
 * passed through (httpx proxies loopback addresses too; only NO_PROXY exempts a host). Runs
 * Debian's /usr/bin/python3 with the python3-httpx package, as client-python.test.ts explains.
 * Run: npx vitest run main/mesh/proxy/client-httpx.test.ts
 */
import { describe, expect, it } from 'vitest';
import { echoHandler, run, startProxy, startUpstream } from './testing/harness.js';
import { expectForwardProxiedPair, needClient } from './testing/real-client.js';

const PYTHON = '/usr/bin/python3';

/** Runs a Python snippet with httpx imported, with only `env`'s proxy variables. */
async function httpx(code: string, env: Record<string, string>) {
  await needClient(PYTHON, ['-c', 'import httpx'], 'httpx is missing for /usr/bin/python3: install the Debian package python3-httpx');
  return run(PYTHON, ['-c', `import httpx\n${code}`], env);
}

async function worldBehindProxy() {
  const world = await startUpstream(echoHandler('world'));
  const harness = await startProxy();
  harness.register({ world: [world.address] });
  return { world, harness };
}

describe('python httpx', () => {
  it('sends a GET and a POST with a body from HTTP_PROXY as absolute-URI requests', async () => {
    const { world, harness } = await worldBehindProxy();
    const result = await httpx(
      [
        "r = httpx.get('http://world/x?id=1')",
        'print(r.status_code, repr(r.text))',
        "r = httpx.post('http://world/x', content=b'body from httpx')",
        'print(r.status_code, repr(r.text))',
      ].join('\n'),
      { HTTP_PROXY: harness.url },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual(["200 'world GET /x?id=1 '", "200 'world POST /x body from httpx'"]);
    expectForwardProxiedPair(world, harness.events, '/x', 'body from httpx');
  });

  it('uses ALL_PROXY when no HTTP_PROXY is set', async () => {
    const { harness } = await worldBehindProxy();
    const result = await httpx("print(httpx.get('http://world/all').text)", { ALL_PROXY: harness.url });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('world GET /all \n');
    expect(harness.events.map((event) => [event.method, event.kind, event.service, event.path])).toEqual([['GET', 'service', 'world', '/all']]);
  });

  it('passes an unregistered host through, loopback address included', async () => {
    const outside = await startUpstream(echoHandler('outside'));
    const harness = await startProxy();
    const result = await httpx(`print(httpx.get('http://127.0.0.1:${outside.port}/passed').text)`, { HTTP_PROXY: harness.url });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('outside GET /passed \n');
    expect(outside.requests[0]?.headers.via, 'went through the proxy').toBe('1.1 meshdesk');
    expect(harness.events.map((event) => [event.method, event.kind, event.service, event.path])).toEqual([['GET', 'external', '127.0.0.1', '/passed']]);
  });
});
