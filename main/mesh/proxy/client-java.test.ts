/**
 * Java's java.net.http.HttpClient (OpenJDK 17) through the proxy. Java never reads http_proxy: its
 * proxy comes from the http.proxyHost/http.proxyPort system properties (here passed in
 * JAVA_TOOL_OPTIONS, as a developer would without touching the code), through the system-wide
 * ProxySelector.getDefault() — given to the builder, or used anyway by a client built without a
 * proxy() call — or from an explicit ProxySelector.of(address). Requests reach the proxy as
 * absolute-URI requests (`GET http://world/... HTTP/1.1`, no CONNECT, no h2c upgrade). The default
 * selector sends localhost and 127.* direct (the http.nonProxyHosts default), so services are called
 * by name (`http://world/`); ProxySelector.of proxies every host. The client is
 * testing/MeshClient.java, run from source (`java MeshClient.java`, a compile per run: 1-3 s).
 * Run: npx vitest run main/mesh/proxy/client-java.test.ts
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { echoHandler, run, startProxy, startUpstream } from './testing/harness.js';
import { needClient } from './testing/real-client.js';

const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing', 'MeshClient.java');
const TIMEOUT = 30_000;

/** Runs MeshClient.java with `client` (selector | default | of:<port> | select) and `requests`. */
async function java(client: string, requests: string[], env: Record<string, string> = {}) {
  await needClient('java', ['-version'], 'Java is missing: install the Debian package openjdk-17-jre-headless (or openjdk-17-jdk-headless)');
  const result = await run('java', [CLIENT, client, ...requests], env, TIMEOUT);
  // The JVM announces JAVA_TOOL_OPTIONS on stderr; anything else there is a failure.
  expect(result.stderr.replace(/^Picked up JAVA_TOOL_OPTIONS: .*\n/m, '')).toBe('');
  return result.stdout.replace(/\n$/, '').split('\n');
}

/** The system properties of the default ProxySelector, in the variable the JVM reads at startup. */
function proxyProperties(port: number): Record<string, string> {
  return { JAVA_TOOL_OPTIONS: `-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=${port}` };
}

async function servers() {
  const world = await startUpstream(echoHandler('world'));
  const outside = await startUpstream(echoHandler('outside'));
  const harness = await startProxy();
  harness.register({ world: [world.address] });
  return { world, outside, harness };
}

/** Every event as [method, kind, service, path, body bytes, tunnelled?]. */
function eventsOf(harness: Awaited<ReturnType<typeof startProxy>>) {
  return harness.events.map((event) => [event.method, event.kind, event.service, event.path, event.bytesIn, event.flags?.includes('tunnelled') ?? false]);
}

describe('java.net.http.HttpClient', () => {
  it(
    'routes by name from http.proxyHost/http.proxyPort with proxy(ProxySelector.getDefault()), and sends 127.0.0.1 direct',
    async () => {
      const { world, outside, harness } = await servers();
      const lines = await java(
        'selector',
        ['GET http://world/j?id=1', 'POST http://world/j body from java', `GET http://127.0.0.1:${outside.port}/direct`],
        proxyProperties(harness.port),
      );
      expect(lines).toEqual(['200 world GET /j?id=1 ', '200 world POST /j body from java', '200 outside GET /direct ']);
      expect(world.requests.map((req) => [req.method, req.url, req.headers.via])).toEqual([
        ['GET', '/j?id=1', '1.1 meshdesk'],
        ['POST', '/j', '1.1 meshdesk'],
      ]);
      expect(eventsOf(harness)).toEqual([
        ['GET', 'service', 'world', '/j?id=1', 0, false],
        ['POST', 'service', 'world', '/j', 'body from java'.length, false],
      ]);
      expect(outside.requests[0]?.headers.via, '127.0.0.1 went direct (http.nonProxyHosts)').toBeUndefined();
    },
    TIMEOUT,
  );

  it(
    'follows the same properties in a client built without proxy(), and never reads http_proxy',
    async () => {
      const { world, harness } = await servers();
      const lines = await java('default', ['GET http://world/plain', 'POST http://world/plain plain body'], proxyProperties(harness.port));
      expect(lines).toEqual(['200 world GET /plain ', '200 world POST /plain plain body']);
      expect(world.requests).toHaveLength(2);
      expect(eventsOf(harness)).toEqual([
        ['GET', 'service', 'world', '/plain', 0, false],
        ['POST', 'service', 'world', '/plain', 'plain body'.length, false],
      ]);
      // Without the properties the variables change nothing: the default selector answers DIRECT
      // (asked in-process, so no lookup of `world` leaves the machine).
      const chosen = await java('select', ['GET http://world/', 'GET http://127.0.0.1:1/'], { http_proxy: harness.url, HTTP_PROXY: harness.url });
      expect(chosen).toEqual(['[DIRECT]', '[DIRECT]']);
    },
    TIMEOUT,
  );

  it(
    'routes through ProxySelector.of(address), which proxies 127.0.0.1 too',
    async () => {
      const { world, outside, harness } = await servers();
      const lines = await java('of:' + harness.port, [
        'GET http://world/of',
        'POST http://world/of body via of',
        `GET http://127.0.0.1:${outside.port}/passed`,
      ]);
      expect(lines).toEqual(['200 world GET /of ', '200 world POST /of body via of', '200 outside GET /passed ']);
      expect(world.requests).toHaveLength(2);
      expect(outside.requests[0]?.headers.via, 'went through the proxy').toBe('1.1 meshdesk');
      expect(eventsOf(harness)).toEqual([
        ['GET', 'service', 'world', '/of', 0, false],
        ['POST', 'service', 'world', '/of', 'body via of'.length, false],
        ['GET', 'external', '127.0.0.1', '/passed', 0, false],
      ]);
    },
    TIMEOUT,
  );
});
