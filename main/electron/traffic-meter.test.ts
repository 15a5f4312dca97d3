/**
 * The tray's traffic numbers, folded from what a real mesh's telemetry records off its request
 * event bus, with a clock the test moves. Failures are the mesh's: with meshdesk.yaml's
 * `failureStatuses: [404]`, a 404 is an error in the tray and a 500 is not, as in the dashboard.
 * The mesh is created from a real config file and never listens: the events are emitted on its bus,
 * which delivers them at the end of the turn, or when flushed, as here.
 * Run: npx vitest run main/electron/traffic-meter.test.ts
 */
import { describe, expect, it } from 'vitest';
import { proxiedExchange } from '../../shared/testing/exchange-fixture.js';
import { createTestMesh } from '../mesh/testing/test-mesh.js';
import { TrafficMeter } from './traffic-meter.js';

const meshWith = async (yaml: string | null) => (await createTestMesh({ yaml })).mesh;

let nextId = 1;
const event = (status: number, error: string | null = null) => proxiedExchange({ id: nextId++, path: `/${status}`, status, error });

describe('TrafficMeter', () => {
  it('counts requests per second over 10 s and failures over a minute, from the recorded events', async () => {
    const mesh = await meshWith(null);
    let now = 1_000_000;
    const meter = new TrafficMeter(() => now);
    const detach = meter.attach(mesh.telemetry);
    for (let i = 0; i < 30; i++) mesh.events.emit(event(200));
    mesh.events.emit(event(503));
    mesh.events.emit(event(0, 'client aborted'));
    mesh.events.emit(event(502, 'connection refused'));
    mesh.events.emit(event(404));
    mesh.events.flush();
    expect(meter.read()).toEqual({ requestsPerSecond: 3.4, errorsLastMinute: 3 });
    now += 11_000;
    expect(meter.read()).toEqual({ requestsPerSecond: 0, errorsLastMinute: 3 });
    mesh.events.emit(event(200));
    mesh.events.flush();
    expect(meter.read()).toEqual({ requestsPerSecond: 0.1, errorsLastMinute: 3 });
    now += 50_000;
    expect(meter.read()).toEqual({ requestsPerSecond: 0, errorsLastMinute: 0 });
    detach();
    mesh.events.emit(event(500));
    mesh.events.flush();
    expect(meter.read().errorsLastMinute).toBe(0);
    // The telemetry still recorded it: only the meter stopped listening.
    expect(mesh.telemetry.snapshot().mesh.totals.failures).toBe(4);
  });

  it('does not count an old bucket again when the ring wraps around', () => {
    let now = 5_000;
    const meter = new TrafficMeter(() => now);
    meter.record({ failed: true });
    now += 60_000;
    meter.record({ failed: false });
    expect(meter.read()).toEqual({ requestsPerSecond: 0.1, errorsLastMinute: 0 });
  });

  it('counts a 404 as an error, and a 500 not, when meshdesk.yaml says failureStatuses: [404]', async () => {
    const mesh = await meshWith('telemetry:\n  failureStatuses: [404]\n');
    const meter = new TrafficMeter(() => 2_000_000);
    meter.attach(mesh.telemetry);
    mesh.events.emit(event(404));
    mesh.events.emit(event(500));
    mesh.events.emit(event(200));
    mesh.events.flush();
    expect(meter.read()).toEqual({ requestsPerSecond: 0.3, errorsLastMinute: 1 });
    // The tray agrees with the success rate the dashboard shows.
    expect(mesh.telemetry.snapshot().mesh.totals).toMatchObject({ requests: 3, failures: 1 });
    expect(mesh.telemetry.query({ errorsOnly: true }).exchanges.map((exchange) => exchange.status)).toEqual([404]);
  });
});
