/**
 * Node's fetch through undici's EnvHttpProxyAgent, the way a Node service honours http_proxy:
 * every method with bodies, a streamed (chunked) upload, an SSE body read incrementally, a CONNECT
 * tunnel with certificate verification, passthrough, and NO_PROXY.
 * Run: npx vitest run main/mesh/proxy/client-undici.test.ts
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import { EnvHttpProxyAgent, fetch } from 'undici';
import { echoHandler, startProxy, startUpstream } from './testing/harness.js';
import { startTlsUpstream } from './testing/tls.js';

function agentFor(proxyUrl: string, options: ConstructorParameters<typeof EnvHttpProxyAgent>[0] = {}): EnvHttpProxyAgent {
  const agent = new EnvHttpProxyAgent({ httpProxy: proxyUrl, httpsProxy: proxyUrl, noProxy: 'localhost', ...options });
  onTestFinished(() => agent.close().catch(() => undefined));
  return agent;
}

describe('undici fetch with EnvHttpProxyAgent', () => {
  it('sends every method with bodies, and a streamed upload', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy();
    harness.register({ world: [world.address] });
    const dispatcher = agentFor(harness.url);
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      const body = method === 'GET' ? undefined : `body of ${method}`;
      const response = await fetch('http://world/f', { method, body, dispatcher });
      expect(await response.text()).toBe(`world ${method} /f ${body ?? ''}`);
    }
    const head = await fetch('http://world/f', { method: 'HEAD', dispatcher });
    expect(head.status).toBe(200);
    expect(head.headers.get('via')).toBe('1.1 meshdesk');
    const parts = ['streamed ', 'in ', 'parts'];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const part = parts.shift();
        if (part === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(part));
      },
    });
    const upload = await fetch('http://world/up', { method: 'POST', body: stream, duplex: 'half', dispatcher });
    expect(await upload.text()).toBe('world POST /up streamed in parts');
    expect(harness.events.map((event) => event.method)).toEqual(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'POST']);
  });

  it('reads an SSE body as it arrives', async () => {
    let acknowledge: () => void = () => {};
    const acknowledged = new Promise<void>((resolve) => (acknowledge = resolve));
    const world = await startUpstream(async (req, res) => {
      if (req.url === '/ack') {
        acknowledge();
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      await acknowledged;
      res.end('data: second\n\n');
    });
    const harness = await startProxy();
    harness.register({ events: [world.address] });
    const dispatcher = agentFor(harness.url);
    const response = await fetch('http://events/stream', { dispatcher });
    expect(response.body).not.toBeNull();
    const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe('data: first\n\n');
    await (await fetch('http://events/ack', { dispatcher })).text();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += chunk.value;
    expect(rest).toBe('data: second\n\n');
  });

  it('tunnels https, passes other hosts through and honours NO_PROXY', async () => {
    const tls = await startTlsUpstream((req, res) => res.end(`secure ${req.url}`));
    const outside = await startUpstream(echoHandler('outside'));
    const harness = await startProxy();
    harness.register({ secure: [tls.address] });
    const dispatcher = agentFor(harness.url, { requestTls: { ca: tls.ca }, connect: { ca: tls.ca } });
    expect(await (await fetch('https://secure/tunnelled', { dispatcher })).text()).toBe('secure /tunnelled');
    expect(await (await fetch(`http://127.0.0.1:${outside.port}/passed`, { dispatcher })).text()).toBe('outside GET /passed ');
    expect(await (await fetch(`http://localhost:${outside.port}/direct`, { dispatcher })).text()).toBe('outside GET /direct ');
    // A tunnel's event is recorded when it closes; undici keeps it open until the agent closes.
    await dispatcher.close();
    const tunnel = await harness.nextEvent((event) => event.method === 'CONNECT');
    expect(tunnel).toMatchObject({ kind: 'service', service: 'secure', instance: tls.address, status: 200, path: 'secure:443' });
    expect(harness.events.map((event) => [event.method, event.kind, event.service])).toEqual([
      ['GET', 'external', '127.0.0.1'],
      ['CONNECT', 'service', 'secure'],
    ]);
  });
});
