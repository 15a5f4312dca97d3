/**
 * The proxy's side of the event bus: the caller is resolved once per exchange, by the proxy; an event
 * (and an exchange's start) whose connection is still being looked up leaves once the lookup
 * settles, with the caller it found; nothing is looked up or built when nobody listens. The OS
 * lookup itself is stood in for by a function the test controls (caller-attribution.test.ts drives
 * the real one through real processes).
 * Run: npx vitest run main/mesh/proxy/exchange-reporter.test.ts
 */
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ProxiedExchange } from '../../../shared/events.js';
import { CallerIdentity, type ConnectionAttribution } from './caller-identity.js';
import { ExchangeReporter, type ExchangeFacts } from './exchange-reporter.js';
import { RequestEvents, type RequestStart } from './request-events.js';

function request(headers: Record<string, string> = {}): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.headers = headers;
  return req;
}

const FACTS: ExchangeFacts = {
  kind: 'service',
  service: 'world',
  version: 'v1',
  instance: '127.0.0.1:7002',
  path: '/',
  status: 200,
  error: null,
  start: performance.now(),
  dispatched: null,
  firstByte: null,
  bytesIn: 0,
  bytesOut: 2,
};

/** A connection lookup still running, settled by the test. */
function pendingLookup(): { attribution: ConnectionAttribution; settle(caller: string | null): void } {
  let settle: (caller: string | null) => void = () => undefined;
  const settled = new Promise<string | null>((resolve) => (settle = resolve));
  return { attribution: { caller: null, pending: true, settled }, settle: (caller) => settle(caller) };
}

function reporterWith(attribute: (socket: Socket) => ConnectionAttribution | null) {
  const bus = new RequestEvents();
  const events: ProxiedExchange[] = [];
  const starts: RequestStart[] = [];
  let lookups = 0;
  const reporter = new ExchangeReporter(
    bus,
    new CallerIdentity((socket) => {
      lookups++;
      return attribute(socket);
    }),
  );
  return {
    bus,
    reporter,
    events,
    starts,
    lookups: () => lookups,
    listen: () => (bus.subscribe((event) => events.push(event)), bus.subscribeStarts((start) => starts.push(start))),
  };
}

describe('ExchangeReporter', () => {
  it("holds an exchange's start and its event until the connection's lookup names the caller", async () => {
    const lookup = pendingLookup();
    const { reporter, events, starts, listen } = reporterWith(() => lookup.attribution);
    listen();
    const req = request();
    const caller = reporter.callers.of(req);
    expect(caller).toBeInstanceOf(Promise);
    const id = reporter.begin(caller, { kind: 'service', service: 'world', version: 'v1', instance: '127.0.0.1:7002' });
    reporter.record(req, { ...FACTS, id }, null, caller);
    await Promise.resolve();
    expect(starts).toEqual([]);
    expect(events).toEqual([]);
    lookup.settle('hello');
    await expect.poll(() => events.length).toBe(1);
    expect(starts).toEqual([{ id, kind: 'service', caller: 'hello', service: 'world', version: 'v1', instance: '127.0.0.1:7002' }]);
    expect(events[0]).toMatchObject({ id, caller: 'hello', service: 'world', status: 200 });
  });

  it('names `shell` when the lookup finds no process, and the request’s own word wins without a lookup', async () => {
    const lookup = pendingLookup();
    const { reporter, events, lookups, listen } = reporterWith(() => lookup.attribution);
    listen();
    reporter.record(request({ 'x-meshdesk-caller': 'Billing' }), FACTS);
    expect(lookups()).toBe(0);
    reporter.record(request(), FACTS);
    lookup.settle(null);
    await expect.poll(() => events.length).toBe(2);
    expect(events.map((event) => event.caller)).toEqual(['billing', 'shell']);
  });

  it('looks nothing up and emits nothing while nobody listens', () => {
    const { reporter, events, lookups } = reporterWith(() => ({ caller: 'hello', pending: false, settled: Promise.resolve('hello') }));
    reporter.connectionOpened(new Socket());
    reporter.record(request(), FACTS);
    expect(reporter.wanted).toBe(false);
    expect(lookups()).toBe(0);
    expect(events).toEqual([]);
  });
});
