/**
 * gRPC under load, as a user's services run it: one grpc-js channel (one HTTP/2 connection to the
 * mesh) carrying a steady stream of unary calls, while the route flips between versions and while
 * an instance is killed. No call may fail: a reroute reaches the next call while calls in flight
 * finish where they started, and calls cut by a dying instance — nothing of their answer came —
 * go to another one (gRPC's transparent retry).
 * Run: npx vitest run main/mesh/proxy/h2/grpc-under-load.test.ts
 */
import { describe, expect, it } from 'vitest';
import type { Route as RouteRule } from '../../../../shared/routes.js';
import { startProxy } from '../testing/harness.js';
import { clientAtProxyPort, sayHello, startGreeter } from './testing/greeter.js';

interface CallResult {
  startedAt: number;
  version: string | null;
  error: string | null;
}

/** Unary calls from `concurrency` loops on one channel until `stop()`; each loop paces itself to `perLoopPerSecond`. */
async function steadyCalls(client: ReturnType<typeof clientAtProxyPort>, concurrency: number, perLoopPerSecond: number, stop: () => boolean) {
  const results: CallResult[] = [];
  const gapMs = 1000 / perLoopPerSecond;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      for (let i = 0; !stop(); i++) {
        const startedAt = performance.now();
        const answer = await sayHello(client, `l${loop}c${i}`);
        const version = 'message' in answer ? (/from (\w+)$/.exec(answer.message)?.[1] ?? null) : null;
        results.push({ startedAt, version, error: 'message' in answer ? null : `${answer.code} ${answer.details}` });
        const wait = startedAt + gapMs - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }),
  );
  return results;
}

describe('gRPC under load', () => {
  it('loses no call over 12 reroutes at ≥ 300 calls/s on one channel, each reroute reaching the next calls', { timeout: 20_000 }, async () => {
    const v1 = await startGreeter('v1');
    const v2 = await startGreeter('v2');
    const rules = new Map<string, RouteRule>();
    const harness = await startProxy({ routes: { get: (service) => rules.get(service) } });
    harness.register({ greeter: { v1: [v1.address], v2: [v2.address] } });
    const client = clientAtProxyPort(harness.port);
    const flips: { at: number; version: string }[] = [];
    let done = false;
    const load = steadyCalls(client, 12, 40, () => done);
    for (let flip = 0; flip < 12; flip++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const version = flip % 2 === 0 ? 'v2' : 'v1';
      rules.set('greeter', { weights: { [version]: 100 }, headerRules: [] });
      // On the clock the mesh stamps events with (startedAt is timeOrigin + performance.now()): the
      // wall clock can drift from it by milliseconds on a freshly booted machine.
      flips.push({ at: performance.timeOrigin + performance.now(), version });
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    done = true;
    const results = await load;
    const seconds = (performance.now() - (results[0]?.startedAt ?? 0)) / 1000;
    console.log(`gRPC reroutes: ${results.length} calls in ${seconds.toFixed(1)} s (${Math.round(results.length / seconds)}/s), 12 reroutes`);
    expect(results.length / seconds).toBeGreaterThanOrEqual(300);
    expect(results.filter((result) => result.error !== null)).toEqual([]);
    // Every call that reached the mesh after a reroute was routed by it (calls already in flight
    // finish where they started). The mesh's own arrival times, in whole milliseconds: calls within
    // a millisecond of a reroute could have come either side of it.
    const near = (at: number) => flips.some((flip) => Math.abs(flip.at - at) <= 1);
    const calls = harness.events.filter((event) => event.path === '/helloworld.Greeter/SayHello' && !near(event.startedAt));
    expect(calls.length).toBeGreaterThan(results.length * 0.9);
    const misrouted = calls.filter((event) => event.version !== (flips.findLast((flip) => flip.at < event.startedAt)?.version ?? 'v1'));
    expect(misrouted).toEqual([]);
  });

  it('loses no call when an instance is killed mid-load: calls cut or refused go to the other', { timeout: 20_000 }, async () => {
    const a = await startGreeter('a');
    const b = await startGreeter('b');
    const harness = await startProxy();
    harness.register({ greeter: [a.address, b.address] });
    const client = clientAtProxyPort(harness.port);
    let done = false;
    const load = steadyCalls(client, 8, 50, () => done);
    await new Promise((resolve) => setTimeout(resolve, 800));
    const aBefore = a.calls();
    a.kill();
    const killedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    done = true;
    const results = await load;
    console.log(`gRPC kill: ${results.length} calls, ${aBefore} answered by a before it was killed`);
    expect(aBefore).toBeGreaterThan(0);
    expect(results.filter((result) => result.error !== null)).toEqual([]);
    expect(results.filter((result) => result.startedAt > killedAt + 50).every((result) => result.version === 'b')).toBe(true);
    expect(harness.events.some((event) => event.flags?.includes('retried'))).toBe(true);
  });
});
