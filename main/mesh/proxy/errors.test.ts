/**
 * Clear errors: each refusal has the right status and a short body naming service, instance and
 * cause, as text or (when Accept asks) JSON — 400, 502, 503, 504, 508 — and the proxy keeps serving.
 * Run: npx vitest run main/mesh/proxy/errors.test.ts
 */
import { describe, expect, it } from 'vitest';
import { healthCheckSchema } from '../../../shared/config-schema.js';
import { closedPort, echoHandler, startProxy, startUpstream } from './testing/harness.js';
import { hostRoutedRequest, proxyRequest, rawRequest, statusOf } from './testing/raw-client.js';

describe('error answers', () => {
  it('502 connection refused names service, instance and cause, in text or JSON', async () => {
    const port = await closedPort();
    const harness = await startProxy();
    harness.register({ world: [`127.0.0.1:${port}`] });
    const text = await proxyRequest(harness.port, 'http://world/');
    expect(text.status).toBe(502);
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.body).toBe(`meshdesk: 502 connection refused (service world, instance 127.0.0.1:${port})\n`);
    const json = await proxyRequest(harness.port, 'http://world/', { headers: { accept: 'application/json' } });
    expect(json.status).toBe(502);
    expect(JSON.parse(json.body)).toEqual({ error: 'connection refused', status: 502, service: 'world', instance: `127.0.0.1:${port}` });
    const event = await harness.nextEvent((e) => e.status === 502);
    expect(event).toMatchObject({ kind: 'service', service: 'world', instance: `127.0.0.1:${port}`, error: 'connection refused' });
  });

  it('503 when every instance of the service is failing its health check', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy();
    const healthCheck = healthCheckSchema.parse({ type: 'tcp' });
    harness.registry.replaceSource('test', [{ service: 'world', version: 'v1', address: world.address, origin: 'test', healthCheck }]);
    harness.registry.setHealth('world', 'v1', world.address, 'failing', 'test says so');
    const response = await proxyRequest(harness.port, 'http://world/');
    expect(response.status).toBe(503);
    expect(response.body).toMatch(/no healthy instance \(service world\)/);
    expect(world.requests).toHaveLength(0);
    harness.registry.setHealth('world', 'v1', world.address, 'healthy', 'back');
    expect((await proxyRequest(harness.port, 'http://world/')).status).toBe(200);
  });

  it('504 when the upstream does not answer in time, and the next request still works', async () => {
    let hang = true;
    const world = await startUpstream((req, res) => {
      if (!hang) res.end('late but fine');
    });
    const harness = await startProxy({ limits: { upstreamTimeoutMs: 300 } });
    harness.register({ world: [world.address] });
    const response = await proxyRequest(harness.port, 'http://world/slow', { headers: { accept: 'application/json' } });
    expect(response.status).toBe(504);
    expect(JSON.parse(response.body)).toMatchObject({ status: 504, service: 'world', instance: world.address, error: expect.stringMatching(/timed out/) });
    hang = false;
    expect((await proxyRequest(harness.port, 'http://world/')).body).toBe('late but fine');
  });

  it('508 for a request loop: a service whose instance is the proxy itself', async () => {
    const harness = await startProxy();
    harness.register({ loop: [`127.0.0.1:${harness.port}`] });
    const response = await proxyRequest(harness.port, 'http://loop/again');
    expect(response.status).toBe(508);
    expect(response.body).toMatch(/request loop detected.*\(service loop/);
    // Each hop was a real request through the proxy; the innermost one was refused.
    const loops = harness.events.filter((event) => event.path === '/again');
    expect(loops.length).toBeGreaterThanOrEqual(4);
    const world = await startUpstream(echoHandler('world'));
    harness.register({ world: [world.address] });
    expect((await proxyRequest(harness.port, 'http://world/')).status).toBe(200);
  });

  it('508 for a request addressed to the proxy itself, in every form', async () => {
    const harness = await startProxy();
    for (const host of [`127.0.0.1:${harness.port}`, `localhost:${harness.port}`]) {
      const absolute = await proxyRequest(harness.port, `http://${host}/`);
      expect(absolute.status, host).toBe(508);
      expect(absolute.body).toMatch(/addressed to the proxy itself/);
      expect((await hostRoutedRequest(harness.port, host, '/')).status, host).toBe(508);
    }
    const tunnel = await rawRequest(harness.port, `CONNECT 127.0.0.1:${harness.port} HTTP/1.1\r\nHost: 127.0.0.1:${harness.port}\r\n\r\n`);
    expect(statusOf(tunnel.text)).toBe(508);
    expect((await harness.nextEvent((e) => e.status === 508)).kind).toBe('proxy');
  });

  it('400 for requests that name no usable target', async () => {
    const harness = await startProxy();
    const noHost = await rawRequest(harness.port, 'GET /x HTTP/1.0\r\n\r\n');
    expect(statusOf(noHost.text)).toBe(400);
    expect(noHost.text).toMatch(/no Host header/);
    const https = await proxyRequest(harness.port, 'https://world/');
    expect(https.status).toBe(400);
    expect(https.body).toMatch(/CONNECT/);
    const badHost = await hostRoutedRequest(harness.port, 'wor ld', '/');
    expect(badHost.status).toBe(400);
    const badPort = await proxyRequest(harness.port, 'http://world:99999/');
    expect(badPort.status).toBe(400);
  });

  it('answers HEAD errors without a body', async () => {
    const harness = await startProxy({ mode: 'reject' });
    const response = await proxyRequest(harness.port, 'http://nowhere/', { method: 'HEAD' });
    expect(response.status).toBe(502);
    expect(response.body).toBe('');
    expect(response.headers['x-meshdesk-error']).toMatch(/unknown service/);
  });
});
