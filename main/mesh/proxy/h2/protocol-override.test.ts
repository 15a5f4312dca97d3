/**
 * The per-service `protocol:` override. `h2c`, for instances that serve only HTTP/2 cleartext:
 * HTTP/1.1 clients (curl) are answered through an HTTP/2 connection to the instance, with status,
 * headers, body and the log as for any request; a refused instance fails over as usual. `http1`, for
 * instances that serve only HTTP/1.1: HTTP/2 clients are answered through HTTP/1.1, and a gRPC call
 * is refused with a gRPC status saying why (gRPC needs HTTP/2).
 * Run: npx vitest run main/mesh/proxy/h2/protocol-override.test.ts
 */
import http2 from 'node:http2';
import { once } from 'node:events';
import { describe, expect, it, onTestFinished } from 'vitest';
import { closedPort, run, startProxy, startUpstream } from '../testing/harness.js';

/** An instance that speaks only h2c: HTTP/1.1 gets no answer from it. */
async function h2cOnly(): Promise<{ address: string; streams: () => number }> {
  let streams = 0;
  const server = http2.createServer((req, res) => {
    streams++;
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      res.setHeader('content-type', 'text/plain');
      res.end(`h2 ${req.method} ${req.url} ${req.headers[':authority']} ${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => void server.close());
  return { address: `127.0.0.1:${(server.address() as { port: number }).port}`, streams: () => streams };
}

describe('protocol: h2c', () => {
  it('answers HTTP/1.1 clients through HTTP/2 to an h2c-only instance, and logs them', async () => {
    const instance = await h2cOnly();
    const harness = await startProxy({ policy: { protocol: 'h2c', retry: { attempts: 0 } } });
    harness.register({ web: [instance.address] });
    const get = await run('curl', ['-sS', '-x', harness.url, 'http://web/page?x=1']);
    expect(get.stdout).toBe('h2 GET /page?x=1 web ');
    const post = await run('curl', ['-sS', '-x', harness.url, '--data', 'hello', 'http://web/form']);
    expect(post.stdout).toBe('h2 POST /form web hello');
    expect(instance.streams()).toBe(2);
    const event = await harness.nextEvent((e) => e.path === '/form');
    expect(event).toMatchObject({ service: 'web', method: 'POST', status: 200, bytesIn: 5, error: null });
    expect(event.protocol).toBeUndefined();
  });

  it('moves on from a refused instance to the next, as for HTTP/1.1', async () => {
    const instance = await h2cOnly();
    const harness = await startProxy({ policy: { protocol: 'h2c', balancer: 'round-robin' } });
    harness.register({ web: [`127.0.0.1:${await closedPort()}`, instance.address] });
    for (let i = 0; i < 4; i++) expect((await run('curl', ['-sS', '-x', harness.url, `http://web/${i}`])).stdout).toBe(`h2 GET /${i} web `);
    expect(harness.events.some((event) => event.flags?.includes('retried'))).toBe(true);
  });
});

describe('protocol: http1', () => {
  it('answers HTTP/2 clients through HTTP/1.1 to an HTTP/1.1-only instance, body both ways', async () => {
    const instance = await startUpstream((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.end(`h1 ${req.httpVersion} ${req.method} ${req.url} ${req.headers.host} ${body}`));
    });
    const harness = await startProxy({ policy: { protocol: 'http1' } });
    harness.register({ web: [instance.address] });
    const session = http2.connect(`http://127.0.0.1:${harness.port}`);
    onTestFinished(() => void session.destroy());
    const call = session.request({ ':method': 'POST', ':path': '/form?a=1', ':authority': 'web' });
    call.end('hello');
    const [headers] = (await once(call, 'response')) as [http2.IncomingHttpHeaders];
    let body = '';
    for await (const chunk of call) body += (chunk as Buffer).toString();
    expect(headers[':status']).toBe(200);
    expect(body).toBe('h1 1.1 POST /form?a=1 web hello');
    const event = await harness.nextEvent((e) => e.path === '/form?a=1');
    expect(event).toMatchObject({ protocol: 'h2', status: 200, bytesIn: 5, error: null });
  });

  it('refuses a gRPC call with a status that says why', async () => {
    const instance = await startUpstream();
    const harness = await startProxy({ policy: { protocol: 'http1' } });
    harness.register({ greeter: [instance.address] });
    const session = http2.connect(`http://127.0.0.1:${harness.port}`);
    onTestFinished(() => void session.destroy());
    const call = session.request({
      ':method': 'POST',
      ':path': '/helloworld.Greeter/SayHello',
      ':authority': 'greeter',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    call.end();
    const [headers] = (await once(call, 'response')) as [http2.IncomingHttpHeaders];
    expect(headers['grpc-status']).toBe('12');
    expect(headers['grpc-message']).toBe('meshdesk: greeter is set to protocol: http1, and gRPC needs HTTP/2');
    expect(instance.requests).toHaveLength(0);
  });
});
