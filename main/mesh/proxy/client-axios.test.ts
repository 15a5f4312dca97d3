/**
 * axios (its Node http adapter) through the proxy from the HTTP_PROXY variable, which axios reads
 * itself (proxy-from-env) when Node's own env proxy (NODE_USE_ENV_PROXY) is off: a GET and a POST
 * with a body to a registered service, sent to the proxy as absolute-URI requests
 * (`GET http://world/... HTTP/1.1`, no CONNECT for http://), and an unregistered host on 127.0.0.1
 * passed through (axios proxies loopback addresses too; only NO_PROXY exempts a host). The client,
 * testing/axios-client.mjs, runs in a child process with this Node (process.execPath).
 * Run: npx vitest run main/mesh/proxy/client-axios.test.ts
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { echoHandler, run, startProxy, startUpstream } from './testing/harness.js';
import { expectForwardProxiedPair } from './testing/real-client.js';

const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing', 'axios-client.mjs');

/**
 * Runs axios-client.mjs with `requests` and HTTP_PROXY. By default Node's own env proxy is off, so
 * axios does the proxying; `nodeEnvProxy` turns it on, as `meshdesk env` does.
 */
async function axios(requests: string[], proxyUrl: string, nodeEnvProxy = false) {
  try {
    createRequire(import.meta.url).resolve('axios');
  } catch {
    throw new Error('axios is missing: it is a devDependency of this package, run npm ci');
  }
  const result = await run(process.execPath, [CLIENT, ...requests], { HTTP_PROXY: proxyUrl, NODE_USE_ENV_PROXY: nodeEnvProxy ? '1' : '', NODE_OPTIONS: '' });
  // Node 22 announces its env proxy once as experimental; anything else on stderr is a failure.
  const warning = /^\(node:\d+\) \[UNDICI-EHPA\] Warning: EnvHttpProxyAgent is experimental.*\n\(Use `node --trace-warnings .*\n/;
  expect(result.stderr.replace(nodeEnvProxy ? warning : /^$/, '')).toBe('');
  return result.stdout.replace(/\n$/, '').split('\n');
}

describe('axios', () => {
  it.each([
    ['HTTP_PROXY alone', false],
    ['with NODE_USE_ENV_PROXY=1 too, as meshdesk env sets it', true],
  ])('sends a GET and a POST with a body to a registered service as absolute-URI requests (%s)', async (_how, nodeEnvProxy) => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const lines = await axios(['GET http://world/a?id=1', 'POST http://world/a body from axios'], harness.url, nodeEnvProxy);
    expect(lines).toEqual(['200 world GET /a?id=1 ', '200 world POST /a body from axios']);
    expectForwardProxiedPair(world, harness.events, '/a', 'body from axios');
  });

  it('passes an unregistered host through, loopback address included', async () => {
    const outside = await startUpstream(echoHandler('outside'));
    const harness = await startProxy();
    const lines = await axios([`GET http://127.0.0.1:${outside.port}/passed`], harness.url);
    expect(lines).toEqual(['200 outside GET /passed ']);
    expect(outside.requests[0]?.headers.via, 'went through the proxy').toBe('1.1 meshdesk');
    expect(harness.events.map((event) => [event.method, event.kind, event.service, event.path])).toEqual([['GET', 'external', '127.0.0.1', '/passed']]);
  });
});
