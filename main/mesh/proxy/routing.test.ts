/**
 * Routing: which upstream a request reaches, in absolute-URI (http_proxy) and Host-header (Linkerd)
 * form, with the documented suffixes, any letter case, with or without a port; round-robin over a
 * version's instances; unregistered hosts passed through or refused. Real proxy, real upstreams.
 * Run: npx vitest run main/mesh/proxy/routing.test.ts
 */
import { describe, expect, it } from 'vitest';
import { echoHandler, startProxy, startUpstream } from './testing/harness.js';
import { hostRoutedRequest, proxyRequest } from './testing/raw-client.js';

describe('routing by service name', () => {
  it('routes absolute-URI requests by host, with any case, suffix or port', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    for (const url of ['http://world/a', 'http://WORLD:8080/b?x=1', 'http://world.mesh/c', 'http://World.LocalHost:9/d', 'http://world./e', 'http://world?q']) {
      const response = await proxyRequest(harness.port, url);
      expect(response.status, url).toBe(200);
      expect(response.body, url).toMatch(/^world GET \//);
    }
    const last = await proxyRequest(harness.port, 'http://world?q');
    expect(last.body).toBe('world GET /?q ');
  });

  it('routes origin-form requests by the Host header, as Linkerd does', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    for (const host of ['world', 'world:4140', 'World.Mesh', 'world.localhost:80']) {
      const response = await hostRoutedRequest(harness.port, host, '/hello?there');
      expect(response.status, host).toBe(200);
      expect(response.body).toBe('world GET /hello?there ');
      expect(response.headers['x-echo-host'], 'the Host the client named reaches the service').toBe(host);
    }
  });

  it('rewrites Host from an absolute URI that disagrees with it', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const response = await proxyRequest(harness.port, 'http://world:81/x', { headers: { host: 'elsewhere' } });
    expect(response.body).toBe('world GET /x ');
    expect(response.headers['x-echo-host']).toBe('world:81');
  });

  it('spreads requests round-robin over the instances of the default version', async () => {
    const one = await startUpstream(echoHandler('one'));
    const two = await startUpstream(echoHandler('two'));
    const canary = await startUpstream(echoHandler('canary'));
    const harness = await startProxy({ policy: { balancer: 'round-robin' } });
    harness.register({ world: { v1: [one.address, two.address], v2: [canary.address] } });
    const names: string[] = [];
    for (let i = 0; i < 6; i++) names.push((await proxyRequest(harness.port, 'http://world/')).body.split(' ')[0] as string);
    expect(names.filter((name) => name === 'one')).toHaveLength(3);
    expect(names.filter((name) => name === 'two')).toHaveLength(3);
    expect(names, 'only the first (default) version is routed until routes exist').not.toContain('canary');
  });

  it('sees registry changes on the next request', async () => {
    const before = await startUpstream(echoHandler('before'));
    const after = await startUpstream(echoHandler('after'));
    const harness = await startProxy();
    harness.register({ world: [before.address] });
    expect((await proxyRequest(harness.port, 'http://world/')).body).toMatch(/^before/);
    harness.register({ world: [after.address] });
    expect((await proxyRequest(harness.port, 'http://world/')).body).toMatch(/^after/);
  });
});

describe('hosts that are not registered services', () => {
  it('pass through to their real destination in passthrough mode, as external traffic', async () => {
    const outside = await startUpstream(echoHandler('outside'));
    const harness = await startProxy();
    const response = await proxyRequest(harness.port, `http://127.0.0.1:${outside.port}/page`);
    expect(response.status).toBe(200);
    expect(response.body).toBe('outside GET /page ');
    const event = await harness.nextEvent((e) => e.path === '/page');
    expect(event).toMatchObject({ kind: 'external', service: '127.0.0.1', instance: outside.address, status: 200 });
  });

  it('are refused with 502 in reject mode, still counted as external traffic', async () => {
    const outside = await startUpstream(echoHandler('outside'));
    const harness = await startProxy({ mode: 'reject' });
    const response = await proxyRequest(harness.port, `http://127.0.0.1:${outside.port}/page`);
    expect(response.status).toBe(502);
    expect(response.body).toMatch(/unknown service.*reject.*127\.0\.0\.1/);
    expect(outside.requests).toHaveLength(0);
    const event = await harness.nextEvent((e) => e.path === '/page');
    expect(event).toMatchObject({ kind: 'external', status: 502 });
    harness.setMode('passthrough');
    expect((await proxyRequest(harness.port, `http://127.0.0.1:${outside.port}/page`)).status).toBe(200);
  });
});
