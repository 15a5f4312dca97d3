// The request log: its bounds (count and body bytes), newest-first paging, every filter, and the
// masking of secrets in headers captured from a real HTTP exchange (curl sends them to a real
// server; the capture is what the proxy will hand over). Run with
// `npx vitest run main/mesh/telemetry/request-log.test.ts`.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { RequestEvent } from '../../../shared/events.js';
import { logPageSchema, logQuerySchema, MASKED_VALUE, type ExchangeCapture, type LogQueryInput } from '../../../shared/exchange.js';
import { event as exchangeEvent } from '../../../shared/testing/exchange-fixture.js';
import { BodyCapture } from './exchange-capture.js';
import { RequestLog } from './request-log.js';

const exec = promisify(execFile);

let nextId = 1;
/** The shared fixture's event under a new id. */
function event(fields: Partial<RequestEvent> = {}): RequestEvent {
  return exchangeEvent({ id: nextId++, ...fields });
}

/** A real exchange: curl sends `args` to a server that captures what it got and what it answered. */
async function capturedExchange(args: string[], bodyLimit: number): Promise<ExchangeCapture> {
  let capture: ExchangeCapture | null = null;
  const server = http.createServer((req, res) => {
    const requestBody = new BodyCapture(bodyLimit);
    req.on('data', (chunk: Buffer) => requestBody.push(chunk));
    req.on('end', () => {
      res.setHeader('Set-Cookie', ['session=s3cr3t; HttpOnly', 'theme=dark']);
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      const answer = 'héllo '.repeat(20);
      const responseBody = new BodyCapture(bodyLimit);
      responseBody.push(Buffer.from(answer));
      res.end(answer, () => {
        capture = {
          requestHeaders: req.rawHeaders,
          responseHeaders: Object.entries(res.getHeaders()).flatMap(([name, value]) =>
            (Array.isArray(value) ? value : [String(value)]).flatMap((one) => [name, one]),
          ),
          requestBody: requestBody.result(),
          responseBody: responseBody.result(),
        };
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await exec('curl', ['-sS', '--noproxy', '*', ...args, `http://127.0.0.1:${(server.address() as AddressInfo).port}/login`]);
  await expect.poll(() => capture).not.toBeNull();
  return capture as unknown as ExchangeCapture;
}

describe('RequestLog bounds and paging', () => {
  it('holds the last `capacity` exchanges, newest first, and pages with `before`', () => {
    const log = new RequestLog({ capacity: 5 });
    const events = Array.from({ length: 12 }, (_, i) => event({ path: `/${i}` }));
    events.forEach((one) => log.add(one));
    const first = log.query({ limit: 2 });
    expect(first.exchanges.map((exchange) => [exchange.seq, exchange.path])).toEqual([
      [11, '/11'],
      [10, '/10'],
    ]);
    expect(first).toMatchObject({ held: 5, capacity: 5, nextBefore: 10 });
    const second = log.query({ limit: 2, before: first.nextBefore as number });
    expect(second.exchanges.map((exchange) => exchange.seq)).toEqual([9, 8]);
    const last = log.query({ limit: 2, before: second.nextBefore as number });
    expect(last.exchanges.map((exchange) => exchange.seq)).toEqual([7]);
    expect(last.nextBefore).toBeNull();
    expect(log.get(6)).toBeNull();
    expect(log.get(7)?.path).toBe('/7');
    expect(logPageSchema.parse(first)).toEqual(first);
  });

  it('finds an exchange by event id, and clears without breaking later pages', () => {
    const log = new RequestLog({ capacity: 3 });
    const events = Array.from({ length: 5 }, () => event());
    events.forEach((one) => log.add(one));
    expect(log.findById(events[4]?.id as number)?.seq).toBe(4);
    expect(log.findById(events[1]?.id as number)).toBeNull();
    expect(log.clear()).toBe(3);
    expect(log.query()).toMatchObject({ exchanges: [], held: 0, nextBefore: null });
    expect(log.findById(events[4]?.id as number)).toBeNull();
    log.add(event({ path: '/after' }));
    expect(log.query().exchanges.map((exchange) => [exchange.seq, exchange.path])).toEqual([[5, '/after']]);
    expect(log.held).toBe(1);
  });

  it("keeps a routed exchange's attempts and retries, and the wire schema carries them to the UI", () => {
    const log = new RequestLog();
    const attempts = [
      { instance: 'a', status: 0, error: 'connection refused', ms: 1 },
      { instance: 'b', status: 200, error: null, ms: 2 },
    ];
    const routed = event({ attempts, retries: 1, flags: ['retried'] });
    log.add(routed);
    expect(log.query().exchanges[0]).toMatchObject({ id: routed.id, attempts, retries: 1, flags: ['retried'] });
    expect(logPageSchema.parse(log.query()).exchanges[0]).toMatchObject({ attempts, retries: 1 });
  });

  it('keeps what an HTTP/2 call and a gRPC call carry: the protocol, the gRPC status and message', () => {
    const log = new RequestLog();
    const plain = event();
    const h2 = event({ protocol: 'h2' });
    const ok = event({ protocol: 'h2', grpc: { status: 0, message: 'OK', messagesIn: 1, messagesOut: 3 } });
    const cut = event({ protocol: 'h2', grpc: { status: null, message: null } });
    for (const one of [plain, h2, ok, cut]) log.add(one);
    const [gotCut, gotOk, gotH2, gotPlain] = log.query().exchanges;
    expect(gotPlain).not.toHaveProperty('protocol');
    expect(gotPlain).not.toHaveProperty('grpc');
    expect(gotH2).toMatchObject({ protocol: 'h2' });
    expect(gotH2).not.toHaveProperty('grpc');
    expect(gotOk).toMatchObject({ protocol: 'h2', grpc: { status: 0, message: 'OK', messagesIn: 1, messagesOut: 3 } });
    expect(gotCut).toMatchObject({ grpc: { status: null, message: null } });
    expect(log.findById(ok.id)).toMatchObject({ grpc: { status: 0 } });
  });
});

describe('RequestLog filters', () => {
  const log = new RequestLog();
  log.add(event({ service: 'world', caller: 'hello', version: 'v1', method: 'GET', path: '/users/42', status: 200 }));
  log.add(
    event({
      service: 'world',
      caller: 'shell',
      version: 'v2',
      method: 'POST',
      path: '/users',
      status: 503,
      error: 'upstream timed out',
      timings: { dispatched: 1, firstByte: null, end: 900 },
      failed: true,
    }),
  );
  log.add(event({ service: 'auth', caller: 'hello', version: 'v1', method: 'get', path: '/Login', status: 404 }));
  log.add(
    event({
      service: 'example.com',
      kind: 'external',
      caller: 'shell',
      version: null,
      instance: 'example.com:80',
      path: '/',
      status: 0,
      error: 'client aborted',
      failed: true,
    }),
    {
      requestHeaders: ['X-Trace', 'abc-123', 'Accept', 'text/html'],
      responseHeaders: null,
      requestBody: null,
      responseBody: null,
    },
  );
  const paths = (query: LogQueryInput) => log.query(logQuerySchema.parse(query)).exchanges.map((exchange) => exchange.path);

  it.each<[LogQueryInput, string[]]>([
    [{ service: 'world' }, ['/users', '/users/42']],
    [{ caller: 'HELLO' }, ['/Login', '/users/42']],
    [{ version: 'v2' }, ['/users']],
    [{ method: 'get' }, ['/', '/Login', '/users/42']],
    [{ status: '5xx' }, ['/users']],
    [{ status: '404' }, ['/Login']],
    [{ status: '0' }, ['/']],
    [{ path: 'login' }, ['/Login']],
    [{ pathRegex: '^/users/\\d+$' }, ['/users/42']],
    [{ minLatencyMs: '500' }, ['/users']],
    [{ errorsOnly: 'true' }, ['/', '/users']],
    [{ errorsOnly: 'false', kind: 'external' }, ['/']],
    [{ text: 'TIMED OUT' }, ['/users']],
    [{ text: 'abc-1' }, ['/']],
    [{ headerName: 'x-trace' }, ['/']],
    [{ headerName: 'x-trace', headerValue: 'nope' }, []],
    [{ service: 'world', caller: 'hello' }, ['/users/42']],
  ])('%j', (query, expected) => {
    expect(paths(query)).toEqual(expected);
  });

  it('finds gRPC calls by gRPC status, by the method they call, and by status name or message in free text', () => {
    const calls = new RequestLog();
    const call = (path: string, status: number | null, message: string | null) =>
      event({ service: 'greeter', method: 'POST', path, status: 200, protocol: 'h2', grpc: { status, message } });
    calls.add(call('/helloworld.Greeter/SayHello', 0, 'OK'));
    calls.add(call('/helloworld.Greeter/SayHello', 14, 'meshdesk: connection refused'));
    calls.add(call('/helloworld.Greeter/SayGoodbye', 12, null));
    calls.add(event({ method: 'GET', path: '/sayhello' }));
    // As the admin API gets them: strings from the query string, through the same schema.
    const found = (query: LogQueryInput) =>
      calls.query(logQuerySchema.parse(query)).exchanges.map((exchange) => `${exchange.path} ${exchange.grpc?.status ?? '-'}`);
    expect(found({ grpcStatus: 'unavailable' })).toEqual(['/helloworld.Greeter/SayHello 14']);
    expect(found({ grpcStatus: '12' })).toEqual(['/helloworld.Greeter/SayGoodbye 12']);
    expect(found({ methodContains: 'greeter/say' })).toEqual([
      '/helloworld.Greeter/SayGoodbye 12',
      '/helloworld.Greeter/SayHello 14',
      '/helloworld.Greeter/SayHello 0',
    ]);
    expect(found({ methodContains: 'GE' })).toEqual(['/sayhello -']);
    expect(found({ method: 'post', grpcStatus: 'OK' })).toEqual(['/helloworld.Greeter/SayHello 0']);
    expect(found({ text: 'UNIMPLEMENTED' })).toEqual(['/helloworld.Greeter/SayGoodbye 12']);
    expect(found({ text: 'connection refused' })).toEqual(['/helloworld.Greeter/SayHello 14']);
    expect(logQuerySchema.safeParse({ grpcStatus: 'NOPE' }).success).toBe(false);
    expect(logQuerySchema.safeParse({ grpcStatus: '17' }).success).toBe(false);
  });

  it('refuses a query it cannot run', () => {
    expect(logQuerySchema.safeParse({ status: '6xx' }).success).toBe(false);
    expect(logQuerySchema.safeParse({ pathRegex: '([' }).success).toBe(false);
    expect(logQuerySchema.safeParse({ limit: '5000' }).success).toBe(false);
  });
});

describe('RequestLog capture', () => {
  it('masks Authorization, Cookie, Set-Cookie and Proxy-Authorization from a real exchange, keeps the rest', async () => {
    const capture = await capturedExchange(
      [
        '-H',
        'Authorization: Bearer t0ken',
        '-H',
        'Cookie: sid=abc',
        '-H',
        'Proxy-Authorization: Basic aGVsbG86',
        '-H',
        'X-Keep: yes',
        '--data-binary',
        'user=ann&password=pw',
      ],
      64 * 1024,
    );
    const log = new RequestLog();
    log.add(event({ method: 'POST' }), capture);
    const [exchange] = log.query().exchanges;
    const request = Object.fromEntries(exchange?.requestHeaders ?? []);
    expect(request).toMatchObject({ Authorization: MASKED_VALUE, Cookie: MASKED_VALUE, 'Proxy-Authorization': MASKED_VALUE, 'X-Keep': 'yes' });
    expect(request.Host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(exchange?.responseHeaders?.filter(([name]) => name === 'set-cookie')).toEqual([
      ['set-cookie', MASKED_VALUE],
      ['set-cookie', MASKED_VALUE],
    ]);
    expect(exchange?.requestBody).toEqual({ encoding: 'utf8', data: 'user=ann&password=pw', size: 20, truncated: false });
    expect(JSON.stringify(exchange)).not.toMatch(/t0ken|sid=abc|aGVsbG86|s3cr3t/);
    // The proxy's own arrays are not touched: masking copies.
    expect(capture.requestHeaders).toContain('Bearer t0ken');
    // Revealed on request, for that one exchange only.
    const id = exchange?.id ?? -1;
    expect(Object.fromEntries(log.findById(id, true)?.requestHeaders ?? [])).toMatchObject({ Authorization: 'Bearer t0ken', Cookie: 'sid=abc' });
    expect(JSON.stringify(log.findById(id))).not.toMatch(/t0ken/);
  });

  it('masks what it is configured to, and nothing when told so', async () => {
    const capture = await capturedExchange(['-H', 'Authorization: Bearer t0ken', '-H', 'X-Api-Key: k3y'], 1024);
    const custom = new RequestLog({ maskedHeaders: ['X-API-KEY'] });
    custom.add(event(), capture);
    expect(Object.fromEntries(custom.query().exchanges[0]?.requestHeaders ?? [])).toMatchObject({ Authorization: 'Bearer t0ken', 'X-Api-Key': MASKED_VALUE });
    const none = new RequestLog({ maskedHeaders: [] });
    none.add(event(), capture);
    expect(Object.fromEntries(none.query().exchanges[0]?.requestHeaders ?? [])).toMatchObject({ 'X-Api-Key': 'k3y' });
  });

  it('keeps at most the configured bytes of each body, and says how large it was', async () => {
    const capture = await capturedExchange(['--data-binary', 'a'.repeat(5_000)], 16);
    const log = new RequestLog({ bodyCaptureBytes: 8 });
    log.add(event(), capture);
    const [exchange] = log.query().exchanges;
    expect(exchange?.requestBody).toEqual({ encoding: 'utf8', data: 'aaaaaaaa', size: 5_000, truncated: true });
    expect(exchange?.responseBody).toEqual({ encoding: 'utf8', data: 'héllo h', size: 140, truncated: true });
    // A cut inside the two bytes of é leaves the partial character out rather than garbling it.
    const tight = new RequestLog({ bodyCaptureBytes: 2 });
    tight.add(event(), capture);
    expect(tight.query().exchanges[0]?.responseBody).toEqual({ encoding: 'utf8', data: 'h', size: 140, truncated: true });
    const bytes = new RequestLog();
    bytes.add(event(), {
      requestHeaders: null,
      responseHeaders: null,
      requestBody: { bytes: Uint8Array.from([0xff, 0x00, 0xfe]), size: 3, truncated: false },
      responseBody: null,
    });
    expect(bytes.query().exchanges[0]?.requestBody).toEqual({ encoding: 'base64', data: '/wD+', size: 3, truncated: false });
    // 0 turns body capture off: no bodies, not empty ones; the headers are kept as before.
    const off = new RequestLog({ bodyCaptureBytes: 0 });
    off.add(event(), capture);
    expect(off.query().exchanges[0]).toMatchObject({ requestBody: null, responseBody: null, bodiesDropped: false });
    expect(off.query().exchanges[0]?.requestHeaders?.length).toBeGreaterThan(0);
  });

  it('drops the oldest bodies past its byte budget and keeps their exchanges', () => {
    const log = new RequestLog({ bodyBudgetBytes: 3_000 });
    const body = () => ({ bytes: new Uint8Array(1_000).fill(65), size: 1_000, truncated: false });
    for (let i = 0; i < 5; i++)
      log.add(event({ path: `/${i}` }), { requestHeaders: ['A', 'b'], responseHeaders: null, requestBody: body(), responseBody: null });
    const exchanges = log.query().exchanges;
    expect(exchanges.map((exchange) => [exchange.path, exchange.requestBody?.size ?? null, exchange.bodiesDropped])).toEqual([
      ['/4', 1_000, false],
      ['/3', 1_000, false],
      ['/2', 1_000, false],
      ['/1', null, true],
      ['/0', null, true],
    ]);
    expect(exchanges[4]?.requestHeaders).toEqual([['A', 'b']]);
  });

  it('keeps every held exchange whole (event, attempts, decision, headers, bodies) as it wraps', () => {
    const log = new RequestLog({ capacity: 1_000 });
    const add = (i: number) =>
      log.add(
        event({
          path: `/item/${i}`,
          status: 200 + (i % 3),
          attempts: [{ instance: '127.0.0.1:7002', status: 200, error: null, ms: i / 10 }],
          retries: 0,
          flags: i % 2 ? ['retried'] : [],
          decision: [{ step: 'version', choice: 'v1', reason: `rule ${i}` }],
          failed: i % 5 === 0,
        }),
        {
          requestHeaders: ['X-Item', String(i)],
          responseHeaders: ['Content-Type', 'text/plain'],
          requestBody: null,
          responseBody: { bytes: Buffer.from(`body ${i}`), size: 6 + String(i).length, truncated: false },
        },
      );
    for (let i = 0; i < 3_500; i++) add(i);
    const page = log.query({ limit: 1_000 });
    expect(page.held).toBe(1_000);
    expect(page.exchanges).toHaveLength(1_000);
    page.exchanges.forEach((exchange, index) => {
      const i = 3_499 - index;
      expect(exchange).toMatchObject({
        path: `/item/${i}`,
        status: 200 + (i % 3),
        failed: i % 5 === 0,
        attempts: [{ instance: '127.0.0.1:7002', status: 200, error: null, ms: i / 10 }],
        flags: i % 2 ? ['retried'] : [],
        decision: [{ step: 'version', choice: 'v1', reason: `rule ${i}` }],
        requestHeaders: [['X-Item', String(i)]],
        responseBody: { encoding: 'utf8', data: `body ${i}`, truncated: false },
        bodiesDropped: false,
      });
    });
    expect(log.query({ headerName: 'x-item', headerValue: '3456' }).exchanges.map((exchange) => exchange.path)).toEqual(['/item/3456']);
  });

  it("says the details were dropped when one exchange's headers are too large to keep", () => {
    const log = new RequestLog();
    log.add(event({ path: '/huge' }), { requestHeaders: ['X-Huge', 'h'.repeat(300 * 1024)], responseHeaders: null, requestBody: null, responseBody: null });
    log.add(event({ path: '/small' }), { requestHeaders: ['X-Small', 's'], responseHeaders: null, requestBody: null, responseBody: null });
    const [small, huge] = log.query().exchanges;
    expect(small).toMatchObject({ path: '/small', requestHeaders: [['X-Small', 's']], bodiesDropped: false });
    expect(huge).toMatchObject({ path: '/huge', requestHeaders: null, bodiesDropped: true });
  });

  it('keeps response headers that came as bytes (as undici gives them), masked on the way out like the rest', () => {
    const log = new RequestLog();
    const bytes = (...parts: string[]) => parts.map((part) => Buffer.from(part, 'latin1'));
    log.add(event({ path: '/bytes', attempts: [{ instance: '127.0.0.1:7002', status: 200, error: null, ms: 1 }] }), {
      requestHeaders: ['Host', 'world'],
      responseHeaders: null,
      responseHeaderBytes: bytes('Content-Type', 'text/plain', 'Set-Cookie', 'session=s3cr3t', 'X-Name', 'caf\u00e9'),
      requestBody: null,
      responseBody: null,
    });
    log.add(event({ path: '/none' }), { requestHeaders: null, responseHeaders: null, responseHeaderBytes: [], requestBody: null, responseBody: null });
    const [none, withBytes] = log.query().exchanges;
    expect(withBytes).toMatchObject({
      path: '/bytes',
      attempts: [{ instance: '127.0.0.1:7002', status: 200, error: null, ms: 1 }],
      requestHeaders: [['Host', 'world']],
      responseHeaders: [
        ['Content-Type', 'text/plain'],
        ['Set-Cookie', MASKED_VALUE],
        ['X-Name', 'caf\u00e9'],
      ],
    });
    expect(log.findById(withBytes?.id ?? 0, true)?.responseHeaders).toContainEqual(['Set-Cookie', 'session=s3cr3t']);
    expect(log.query({ headerName: 'x-name', headerValue: 'café' }).exchanges.map((exchange) => exchange.path)).toEqual(['/bytes']);
    expect(none).toMatchObject({ path: '/none', responseHeaders: [], bodiesDropped: false });
  });
});
