/**
 * gRPC through the mesh with real grpc-js clients and servers: all four call kinds, both ways a
 * client reaches the mesh (grpc_proxy, which tunnels with CONNECT, and prior knowledge on the
 * proxy's port), per-call routing on one long-lived channel, gRPC statuses in the events, the mesh's
 * own answers as gRPC statuses, deadlines, and a plain (non-gRPC) HTTP/2 GET.
 * Run: npx vitest run main/mesh/proxy/h2/grpc-calls.test.ts
 */
import http2 from 'node:http2';
import { once } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { fetch, ProxyAgent } from 'undici';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Fault, Route as RouteRule } from '../../../../shared/routes.js';
import { startProxy, startUpstream, closedPort } from '../testing/harness.js';
import { clientAtProxyPort, clientThroughProxyEnv, sayHello, startGreeter, type HelloReply } from './testing/greeter.js';

function collect<T>(stream: NodeJS.ReadableStream): Promise<T[]> {
  const items: T[] = [];
  stream.on('data', (item: T) => items.push(item));
  return new Promise((resolve, reject) => {
    stream.on('end', () => resolve(items));
    stream.on('error', reject);
  });
}

describe('gRPC calls through the mesh', () => {
  for (const way of ['grpc_proxy (CONNECT tunnel)', 'prior knowledge on the proxy port'] as const) {
    it(`serves all four call kinds via ${way}, each logged with its gRPC status`, async () => {
      const v1 = await startGreeter('v1');
      const harness = await startProxy();
      harness.register({ greeter: [v1.address] });
      const client = way.startsWith('grpc_proxy') ? clientThroughProxyEnv(harness.url) : clientAtProxyPort(harness.port);

      expect(await sayHello(client, 'ann')).toEqual({ message: 'hello ann from v1' });

      const replies = await collect<HelloReply>(client.LotsOfReplies({ name: 'bob', count: 3 }));
      expect(replies.map((reply) => reply.message)).toEqual(['0 bob from v1', '1 bob from v1', '2 bob from v1']);

      const greeted = new Promise<HelloReply | undefined>((resolve, reject) => {
        const upload = client.LotsOfGreetings((error, reply) => (error ? reject(error) : resolve(reply)));
        for (const name of ['a', 'b', 'c']) upload.write({ name });
        upload.end();
      });
      expect((await greeted)?.message).toBe('hello a,b,c from v1');

      const chat = client.BidiHello();
      const answers: string[] = [];
      chat.on('data', (reply: HelloReply) => {
        answers.push(reply.message);
        // Each answer comes before the next request is sent: messages pass one by one, not buffered.
        if (answers.length < 3) chat.write({ name: `n${answers.length}` });
        else chat.end();
      });
      chat.write({ name: 'n0' });
      await once(chat, 'end');
      expect(answers).toEqual(['hello n0 from v1', 'hello n1 from v1', 'hello n2 from v1']);

      const unary = await harness.nextEvent((event) => event.path === '/helloworld.Greeter/SayHello');
      expect(unary).toMatchObject({
        kind: 'service',
        service: 'greeter',
        version: 'v1',
        instance: v1.address,
        method: 'POST',
        protocol: 'h2',
        status: 200,
        grpc: { status: 0, message: 'OK', messagesIn: 1, messagesOut: 1 },
        error: null,
      });
      expect(unary.bytesIn).toBeGreaterThan(0);
      expect(unary.bytesOut).toBeGreaterThan(0);
      if (way.startsWith('grpc_proxy')) expect(unary.flags).toContain('tunnelled');
      const bidi = await harness.nextEvent((event) => event.path === '/helloworld.Greeter/BidiHello');
      expect(bidi.grpc).toMatchObject({ status: 0, messagesIn: 3, messagesOut: 3 });
      const streamed = await harness.nextEvent((event) => event.path === '/helloworld.Greeter/LotsOfReplies');
      expect(streamed.grpc).toMatchObject({ messagesIn: 1, messagesOut: 3 });
      const greetings = await harness.nextEvent((event) => event.path === '/helloworld.Greeter/LotsOfGreetings');
      expect(greetings.grpc).toMatchObject({ messagesIn: 3, messagesOut: 1 });
      expect(v1.calls()).toBe(4);
    });
  }

  it('routes each call afresh: a reroute reaches the next call on the same channel', async () => {
    const v1 = await startGreeter('v1');
    const v2 = await startGreeter('v2');
    const rules = new Map<string, RouteRule>();
    const harness = await startProxy({ routes: { get: (service) => rules.get(service) } });
    harness.register({ greeter: { v1: [v1.address], v2: [v2.address] } });
    const client = clientThroughProxyEnv(harness.url);
    for (let i = 0; i < 5; i++) expect(await sayHello(client, `before${i}`)).toEqual({ message: `hello before${i} from v1` });
    rules.set('greeter', { weights: { v2: 100 }, headerRules: [] });
    for (let i = 0; i < 5; i++) expect(await sayHello(client, `after${i}`)).toEqual({ message: `hello after${i} from v2` });
    // Header rules see gRPC metadata.
    rules.set('greeter', { weights: { v2: 100 }, headerRules: [{ header: 'x-canary', value: 'old', version: 'v1' }] });
    const metadata = new grpc.Metadata();
    metadata.set('x-canary', 'old');
    const viaRule = await new Promise<string | undefined>((resolve) =>
      client.SayHello({ name: 'rule' }, metadata, {}, (_error, reply) => resolve(reply?.message)),
    );
    expect(viaRule).toBe('hello rule from v1');
  });

  it('reports the service’s gRPC status and message, and counts the failure', async () => {
    const v1 = await startGreeter('v1');
    const harness = await startProxy();
    harness.register({ greeter: [v1.address] });
    const client = clientAtProxyPort(harness.port);
    expect(await sayHello(client, 'fail:5:no such greeting')).toEqual({ code: grpc.status.NOT_FOUND, details: 'no such greeting' });
    const event = await harness.nextEvent((e) => e.path === '/helloworld.Greeter/SayHello');
    expect(event).toMatchObject({ status: 200, grpc: { status: 5, message: 'no such greeting' }, error: null });
  });

  it('answers what it cannot forward with a gRPC status naming the cause', async () => {
    const harness = await startProxy({ policy: { retry: { attempts: 0 }, holdMs: 0 } });
    harness.register({ greeter: [`127.0.0.1:${await closedPort()}`] });
    const client = clientAtProxyPort(harness.port);
    const refused = await sayHello(client, 'anyone');
    expect(refused).toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'meshdesk: connection refused' });
    const event = await harness.nextEvent((e) => e.path === '/helloworld.Greeter/SayHello');
    expect(event).toMatchObject({ status: 200, grpc: { status: 14, message: 'meshdesk: connection refused' }, error: 'connection refused' });

    const unknown = clientAtProxyPort(harness.port, 'nobody:50051');
    harness.setMode('reject');
    expect(await sayHello(unknown, 'x')).toMatchObject({ code: grpc.status.UNAVAILABLE, details: expect.stringMatching(/^meshdesk: unknown service/) });
  });

  it('injects faults as gRPC statuses and delays, flagged on the event', async () => {
    const v1 = await startGreeter('v1');
    let fault: Fault = { service: 'greeter', percent: 100, abortGrpcStatus: grpc.status.UNAVAILABLE };
    const harness = await startProxy({ faults: { size: 1, match: () => fault } });
    harness.register({ greeter: [v1.address] });
    const client = clientAtProxyPort(harness.port);
    expect(await sayHello(client, 'a')).toEqual({ code: grpc.status.UNAVAILABLE, details: 'meshdesk: fault injected: abort with gRPC status UNAVAILABLE' });
    expect(v1.calls()).toBe(0);
    const aborted = await harness.nextEvent((e) => e.path === '/helloworld.Greeter/SayHello');
    expect(aborted).toMatchObject({ grpc: { status: 14 }, flags: ['fault-injected'] });
    expect(aborted.decision?.find((step) => step.step === 'fault')?.reason).toMatch(/abort gRPC calls with UNAVAILABLE/);
    fault = { service: 'greeter', percent: 100, delayMs: 200 };
    const started = performance.now();
    expect(await sayHello(client, 'b')).toEqual({ message: 'hello b from v1' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    // An HTTP status fault reaches gRPC calls as the gRPC status gRPC maps it to.
    fault = { service: 'greeter', percent: 100, abortStatus: 503 };
    expect(await sayHello(client, 'c')).toMatchObject({ code: grpc.status.UNAVAILABLE });
  });

  it('moves on to another instance when one refuses the connection (nothing of the call left)', async () => {
    const v1 = await startGreeter('v1');
    const harness = await startProxy({ policy: { balancer: 'round-robin' } });
    harness.register({ greeter: [`127.0.0.1:${await closedPort()}`, v1.address] });
    const client = clientAtProxyPort(harness.port);
    for (let i = 0; i < 4; i++) expect(await sayHello(client, `c${i}`)).toEqual({ message: `hello c${i} from v1` });
    expect(harness.events.some((event) => event.flags?.includes('retried'))).toBe(true);
  });

  it('makes grpc-timeout the call’s deadline, answering DEADLINE_EXCEEDED and cancelling upstream', async () => {
    const v1 = await startGreeter('v1');
    const harness = await startProxy();
    harness.register({ greeter: [v1.address] });
    // A raw HTTP/2 call, so that the client's own deadline does not race the mesh's.
    const session = http2.connect(`http://127.0.0.1:${harness.port}`);
    onTestFinished(() => void session.destroy());
    const request = Buffer.from([0, 0, 0, 0, 11, 0x0a, 9, ...Buffer.from('slow:1000')]);
    const call = session.request({
      ':method': 'POST',
      ':path': '/helloworld.Greeter/SayHello',
      ':authority': 'greeter:50051',
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-timeout': '150m',
    });
    call.end(request);
    const started = performance.now();
    const [headers] = (await once(call, 'response')) as [http2.IncomingHttpHeaders];
    expect(headers['grpc-status']).toBe(String(grpc.status.DEADLINE_EXCEEDED));
    expect(performance.now() - started).toBeLessThan(900);
    const event = await harness.nextEvent((e) => e.path === '/helloworld.Greeter/SayHello');
    expect(event.grpc?.status).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(event.error).toMatch(/deadline \(grpc-timeout 150m\) passed/);
  });

  it('passes a cancel on to the instance mid-stream, and the stream’s messages as they come', async () => {
    const v1 = await startGreeter('v1');
    const harness = await startProxy();
    harness.register({ greeter: [v1.address] });
    const client = clientThroughProxyEnv(harness.url);
    const stream = client.LotsOfReplies({ name: 'slow:50', count: 100 });
    const received: number[] = [];
    stream.on('data', () => received.push(performance.now()));
    const failed = new Promise<grpc.ServiceError>((resolve) => stream.on('error', resolve));
    await expect.poll(() => received.length).toBe(3);
    // Messages arrive one by one as the instance sends them, not buffered into one.
    expect((received[2] as number) - (received[0] as number)).toBeGreaterThan(60);
    stream.cancel();
    expect((await failed).code).toBe(grpc.status.CANCELLED);
    await expect.poll(() => v1.cancelled()).toBe(1);
    const event = await harness.nextEvent((e) => e.path === '/helloworld.Greeter/LotsOfReplies');
    expect(event.error).toBe('client aborted');

    // The other way: the instance dies mid-stream; the client learns at once, not at its deadline.
    const cut = client.LotsOfReplies({ name: 'slow:50', count: 100 });
    cut.on('data', () => undefined);
    const cutError = new Promise<grpc.ServiceError>((resolve) => cut.on('error', resolve));
    await new Promise((resolve) => setTimeout(resolve, 120));
    v1.kill();
    const error = await cutError;
    expect([grpc.status.UNAVAILABLE, grpc.status.INTERNAL, grpc.status.CANCELLED]).toContain(error.code);
    const cutEvent = await harness.nextEvent((e) => e.path === '/helloworld.Greeter/LotsOfReplies' && e.error !== 'client aborted');
    expect(cutEvent.error).toMatch(/after the response began/);
  });

  it('cuts the client’s stream, never ends it cleanly, when the instance resets an answer mid-way', async () => {
    const upstream = http2.createServer((_req, res) => {
      res.write('first part, ');
      setTimeout(() => res.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR), 20);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void upstream.close());
    const harness = await startProxy();
    harness.register({ web: [`127.0.0.1:${(upstream.address() as { port: number }).port}`] });
    const session = http2.connect(`http://127.0.0.1:${harness.port}`);
    onTestFinished(() => void session.destroy());
    const get = session.request({ ':path': '/cut', ':authority': 'web' });
    let body = '';
    get.on('data', (chunk: Buffer) => (body += chunk.toString()));
    const ended = await new Promise<string>((resolve) => {
      get.on('end', () => resolve('end'));
      get.on('error', () => resolve('error'));
      get.on('close', () => resolve(`close ${get.rstCode}`));
    });
    expect(body).toBe('first part, ');
    expect(ended).not.toBe('end');
    expect(get.rstCode).toBe(http2.constants.NGHTTP2_INTERNAL_ERROR);
    const event = await harness.nextEvent((e) => e.path === '/cut');
    expect(event.error).toMatch(/reset the stream \(HTTP\/2 error 2\) \(after the response began\)/);
  });

  it('forwards a plain HTTP/2 GET (not gRPC) with prior knowledge, to an h2c upstream', async () => {
    const upstream = http2.createServer((req, res) => res.end(`h2 ${req.url} ${req.headers[':authority']}`));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void upstream.close());
    const address = `127.0.0.1:${(upstream.address() as { port: number }).port}`;
    const harness = await startProxy();
    harness.register({ web: [address] });
    const session = http2.connect(`http://127.0.0.1:${harness.port}`);
    onTestFinished(() => void session.destroy());
    const get = session.request({ ':path': '/page?x=1', ':authority': 'web' });
    get.setEncoding('utf8');
    let body = '';
    for await (const chunk of get) body += chunk as string;
    expect(body).toBe('h2 /page?x=1 web');
    const event = await harness.nextEvent((e) => e.path === '/page?x=1');
    expect(event).toMatchObject({ service: 'web', method: 'GET', status: 200, protocol: 'h2' });
    expect(event.grpc).toBeUndefined();
    // HTTP/1.1 on the same port still works.
    const plain = await startUpstream();
    harness.register({ web: [address], plain: [plain.address] });
    const answer = await fetch('http://plain/', { dispatcher: new ProxyAgent(harness.url) });
    expect(answer.status).toBe(200);
  });
});
