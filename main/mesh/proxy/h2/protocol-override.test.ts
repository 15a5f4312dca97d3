/**
 * `protocol: h2c` for a service whose instances serve only HTTP/2 cleartext: HTTP/1.1 clients (curl,
 * Python requests) are answered through an HTTP/2 connection to the instance, with status, headers,
 * body, trailers and the log as for any request; a refused instance fails over as usual.
 * Run: npx vitest run main/mesh/proxy/h2/protocol-override.test.ts
 */
import http2 from 'node:http2';
import { describe, expect, it, onTestFinished } from 'vitest';
import { closedPort, run, startProxy } from '../testing/harness.js';

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
