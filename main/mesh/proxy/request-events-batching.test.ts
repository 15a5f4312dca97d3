/**
 * The bus delivers in batches: what was emitted in one turn of the event loop reaches the listeners
 * together at its end, starts and ends in the order they were emitted; `flush` delivers at once;
 * what a listener emits while a batch is delivered waits for the next, and a listener's own flush
 * does not reorder the batch it is part of; and the telemetry's reads
 * see an exchange that ended a moment ago, delivered or not. Under real concurrent load, one turn's
 * events arrive as one batch.
 * Run: npx vitest run main/mesh/proxy/request-events-batching.test.ts
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ProxiedExchange, RequestStart } from '../../../shared/events.js';
import { proxiedExchange } from '../../../shared/testing/exchange-fixture.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { RequestEvents } from './request-events.js';
import { echoHandler, startProxy, startUpstream } from './testing/harness.js';
import { proxyRequest } from './testing/raw-client.js';

const start = (id: number): RequestStart => ({ id, kind: 'service', caller: 'hello', service: 'world', version: 'v1', instance: '127.0.0.1:7002' });
const end = (id: number): ProxiedExchange => proxiedExchange({ id, path: `/${id}` });

describe('request event batches', () => {
  it('reach the listeners at the end of the turn, starts and ends in the order emitted', async () => {
    const bus = new RequestEvents();
    const seen: string[] = [];
    bus.subscribe((event) => seen.push(`end ${event.id}`));
    bus.subscribeStarts((started) => seen.push(`start ${started.id}`));
    bus.emitStart(start(1));
    bus.emitStart(start(2));
    bus.emit(end(1));
    bus.emitStart(start(3));
    bus.emit(end(2));
    expect(seen, 'nothing is delivered inside the turn that emitted it').toEqual([]);
    await nextTurn();
    expect(seen).toEqual(['start 1', 'start 2', 'end 1', 'start 3', 'end 2']);
    bus.emit(end(3));
    await nextTurn();
    expect(seen.at(-1)).toBe('end 3');
  });

  it('deliver every event once through turns of any size, the queues reused between them', async () => {
    const bus = new RequestEvents();
    const seen: number[] = [];
    bus.subscribe((event) => seen.push(event.id));
    let next = 1;
    // Large turns, small ones, a burst past what the bus keeps (4,096 slots), then small ones again.
    for (const size of [5, 1, 40, 2, 3_000, 1, 7, 1]) {
      const first = next;
      for (let i = 0; i < size; i++) bus.emit(end(next++));
      await nextTurn();
      expect(seen.slice(-size), `the turn of ${size}`).toEqual(Array.from({ length: size }, (_, i) => first + i));
    }
    expect(seen).toEqual(Array.from({ length: next - 1 }, (_, i) => i + 1));
    await nextTurn();
    expect(seen, 'nothing delivered twice after the queues changed hands').toHaveLength(next - 1);
  });

  it('are delivered at once on flush, with their captures, and only once', async () => {
    const bus = new RequestEvents();
    const seen: [number, unknown][] = [];
    bus.subscribe((event, capture) => seen.push([event.id, capture]));
    const capture = { requestHeaders: ['host', 'world'], responseHeaders: null, requestBody: null, responseBody: null };
    bus.emit(end(1), capture);
    bus.emit(end(2));
    bus.flush();
    expect(seen).toEqual([
      [1, capture],
      [2, undefined],
    ]);
    await nextTurn();
    expect(seen, 'the turn-end delivery finds nothing left').toHaveLength(2);
  });

  it('hold what a listener emits while delivering for the next batch, and survive a throwing listener', async () => {
    const bus = new RequestEvents();
    const seen: number[] = [];
    bus.subscribe(() => {
      throw new Error('listener bug');
    });
    bus.subscribe((event) => {
      seen.push(event.id);
      // A shadow copy's event is emitted from a listener of its primary's.
      if (event.id < 100) bus.emit(end(event.id + 100));
    });
    bus.emit(end(1));
    bus.flush();
    expect(seen).toEqual([1]);
    bus.flush();
    expect(seen).toEqual([1, 101]);
    await nextTurn();
    expect(seen).toEqual([1, 101]);
  });

  it('stay in order when a listener reads (flushes) while a batch is delivered', async () => {
    const bus = new RequestEvents();
    const seen: number[] = [];
    bus.subscribe((event) => {
      seen.push(event.id);
      if (event.id === 1) {
        bus.emit(end(100));
        // What a listener that reads the telemetry does.
        bus.flush();
      }
    });
    bus.emit(end(1));
    bus.emit(end(2));
    bus.emit(end(3));
    await nextTurn();
    expect(seen.slice(0, 3)).toEqual([1, 2, 3]);
    await nextTurn();
    expect(seen).toEqual([1, 2, 3, 100]);
  });

  it('hold a start alone for the next end or read, which still sees it in flight', async () => {
    const bus = new RequestEvents();
    const seen: string[] = [];
    bus.subscribe((event) => seen.push(`end ${event.id}`));
    bus.subscribeStarts((started) => seen.push(`start ${started.id}`));
    bus.emitStart(start(1));
    await nextTurn();
    expect(seen, 'a start schedules no delivery of its own').toEqual([]);
    bus.emit(end(1));
    await nextTurn();
    expect(seen).toEqual(['start 1', 'end 1']);

    const telemetry = new Telemetry();
    const detach = telemetry.attach(bus);
    bus.emitStart(start(2));
    bus.emitStart(start(3));
    await nextTurn();
    expect(telemetry.snapshot().mesh.inFlight, 'the read delivers the waiting starts').toBe(2);
    bus.emit(end(2));
    expect(telemetry.snapshot().mesh.inFlight).toBe(1);
    detach();

    // A burst of starts with no end among them is delivered all the same.
    const burst = new RequestEvents();
    let started = 0;
    burst.subscribeStarts(() => started++);
    for (let id = 1; id <= 1_000; id++) burst.emitStart(start(id));
    await nextTurn();
    expect(started).toBeGreaterThan(300);
  });

  it('are all in the telemetry before it answers a read', () => {
    const bus = new RequestEvents();
    const telemetry = new Telemetry();
    const detach = telemetry.attach(bus);
    bus.emitStart(start(1));
    bus.emit(end(1));
    bus.emit(proxiedExchange({ id: 2, path: '/2', status: 503 }));
    expect(telemetry.query().exchanges.map((exchange) => exchange.id)).toEqual([2, 1]);
    bus.emit(end(3));
    expect(telemetry.snapshot().mesh.totals.requests).toBe(3);
    bus.emit(end(4));
    expect(telemetry.exchange(4)?.path).toBe('/4');
    bus.emit(end(5));
    expect(telemetry.clearLog()).toBe(5);
    detach();
  });

  it('come together from concurrent requests that end in the same turn', async () => {
    const world = await startUpstream(echoHandler('world'));
    const harness = await startProxy({ listen: false });
    harness.register({ world: [world.address] });
    // One delivery is one macrotask: the microtask queued by its first event runs once it is over.
    const batches: number[] = [];
    let inBatch = 0;
    harness.bus.subscribe(() => {
      if (inBatch++ === 0)
        queueMicrotask(() => {
          batches.push(inBatch);
          inBatch = 0;
        });
    });
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => proxyRequest(harness.port, `http://world/${i}`)));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    await nextTurn();
    await nextTurn();
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(200);
    expect(Math.max(...batches), `batch sizes ${batches.join(',')}`).toBeGreaterThan(1);
  });
});
