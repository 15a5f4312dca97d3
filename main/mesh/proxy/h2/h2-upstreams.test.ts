import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROXY_LIMITS } from '../proxy-limits.js';
import { H2Upstreams, type H2Upstream } from './h2-upstreams.js';

// Real h2c servers on loopback: a session is kept only while its connection stands.
const servers: http2.Http2Server[] = [];
let upstreams: H2Upstreams | null = null;
afterEach(async () => {
  upstreams?.close();
  upstreams = null;
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function h2cServers(count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const server = http2.createServer((_request, response) => response.end('ok'));
      servers.push(server);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return `127.0.0.1:${(server.address() as AddressInfo).port}`;
    }),
  );
}

const connected = (upstream: H2Upstream) => (upstream.connected ? Promise.resolve() : once(upstream.session, 'connect'));

describe('HTTP/2 upstream sessions', () => {
  it('keeps one session per instance beyond the passthrough cap, and reuses it', async () => {
    const addresses = await h2cServers(6);
    upstreams = new H2Upstreams({ ...DEFAULT_PROXY_LIMITS, maxUpstreamPools: 2, maxInstancePools: 100 });
    const set = upstreams;
    const first = addresses.map((address) => set.get(address, undefined, 'instance'));
    await Promise.all(first.map(connected));
    const again = addresses.map((address) => set.get(address, undefined, 'instance'));
    expect(again.every((upstream, i) => upstream === first[i])).toBe(true);
    expect(first.every((upstream) => !upstream.session.closed)).toBe(true);
    expect(set.size).toBe(6);
  });

  it('closes the least recently used passthrough session beyond its cap, apart from the instances', async () => {
    const [a, b, c] = await h2cServers(3);
    upstreams = new H2Upstreams({ ...DEFAULT_PROXY_LIMITS, maxUpstreamPools: 2, maxInstancePools: 100 });
    const instance = upstreams.get(a as string, undefined, 'instance');
    const first = upstreams.get(a as string);
    expect(first === instance).toBe(false);
    const second = upstreams.get(b as string);
    await Promise.all([instance, first, second].map(connected));
    expect(upstreams.get(a as string) === first).toBe(true); // a is now the most recently used
    upstreams.get(c as string); // over the cap: b goes
    expect(second.session.closed).toBe(true);
    expect(first.session.closed).toBe(false);
    expect(instance.session.closed).toBe(false);
    expect(upstreams.size).toBe(3);
  });

  it('caps instance sessions too, as a backstop, closing the oldest', async () => {
    const addresses = await h2cServers(3);
    upstreams = new H2Upstreams({ ...DEFAULT_PROXY_LIMITS, maxUpstreamPools: 256, maxInstancePools: 2 });
    const set = upstreams;
    const [oldest, ...rest] = addresses.map((address) => set.get(address, undefined, 'instance'));
    expect(oldest?.session.closed).toBe(true);
    expect(rest.every((upstream) => !upstream.session.closed)).toBe(true);
    expect(set.size).toBe(2);
  });

  it('opens a new session where the last one went away', async () => {
    const [address] = await h2cServers(1);
    upstreams = new H2Upstreams({ ...DEFAULT_PROXY_LIMITS });
    const first = upstreams.get(address as string, undefined, 'instance');
    await connected(first);
    first.session.close();
    await once(first.session, 'close');
    const next = upstreams.get(address as string, undefined, 'instance');
    expect(next === first).toBe(false);
    await connected(next);
    expect(next.connected).toBe(true);
  });
});
