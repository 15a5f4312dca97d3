/**
 * Fault injection through the proxy, per service and per caller→service edge: an abort fault hits
 * its percentage within ±3% over 5,000 requests, a delay fault adds its delay plus jitter, a
 * caller's fault applies to that caller only, and every faulted request is marked on its event.
 * Real proxy, real FaultTable, real upstream.
 * Run: npx vitest run main/mesh/proxy/faults.test.ts
 */
import { describe, expect, it } from 'vitest';
import { FaultTable } from '../routing/fault-table.js';
import { startProxy } from './testing/harness.js';
import { closedLoop, namedUpstream, ProxyClient } from './testing/load.js';

async function worldWithFaults() {
  const world = await namedUpstream('world');
  const faults = new FaultTable();
  const harness = await startProxy({ faults });
  harness.register({ world: [world.address] });
  return { world, faults, harness, client: new ProxyClient(harness.port) };
}

describe('fault injection', () => {
  it('aborts its percentage of requests within ±3% over 5,000, and marks them', async () => {
    const { faults, client, world, harness } = await worldWithFaults();
    faults.set({ service: 'world', percent: 30, abortStatus: 503 });
    const statuses = new Map<number, number>();
    await closedLoop(5_000, 16, async () => {
      const { status } = await client.send('world');
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    const aborted = statuses.get(503) ?? 0;
    console.log(`30% abort fault over 5,000 requests: ${aborted} aborted (${((aborted / 5_000) * 100).toFixed(2)}%)`);
    expect(aborted + (statuses.get(200) ?? 0)).toBe(5_000);
    expect(Math.abs(aborted / 5_000 - 0.3)).toBeLessThanOrEqual(0.03);
    expect(world.hits()).toBe(5_000 - aborted);
    const event = await harness.nextEvent((e) => e.status === 503);
    expect(event).toMatchObject({ flags: ['fault-injected'], error: 'fault injected: abort with 503', attempts: [] });
    expect(event.decision?.find((step) => step.step === 'fault')?.reason).toBe('fault injected: abort with 503 (30% of requests to world)');
    // Injected aborts are not retried: the user asked for them.
    expect(event.retries).toBe(0);
  });

  it('delays requests by the fixed delay plus up to the jitter', async () => {
    const { faults, client, harness } = await worldWithFaults();
    faults.set({ service: 'world', percent: 100, delayMs: 150, jitterMs: 100 });
    const took: number[] = [];
    await closedLoop(20, 10, async () => {
      const started = performance.now();
      expect((await client.send('world', { path: '/slowed' })).status).toBe(200);
      took.push(performance.now() - started);
    });
    expect(Math.min(...took)).toBeGreaterThanOrEqual(149);
    // Jitter spreads them: not every request took the same time.
    expect(Math.max(...took) - Math.min(...took)).toBeGreaterThan(10);
    const event = await harness.nextEvent((e) => e.path === '/slowed');
    expect(event.flags).toEqual(['fault-injected']);
    expect(event.timings.dispatched).toBeGreaterThanOrEqual(149);
  });

  it('applies a caller→service fault to that caller only, before the service-wide one', async () => {
    const { faults, client } = await worldWithFaults();
    faults.set({ service: 'world', caller: 'hello', percent: 100, abortStatus: 418 });
    expect((await client.send('world', { headers: { 'x-meshdesk-caller': 'hello' } })).status).toBe(418);
    expect((await client.send('world', { headers: { 'x-meshdesk-caller': 'other' } })).status).toBe(200);
    expect((await client.send('world')).status).toBe(200);
    faults.set({ service: 'world', percent: 100, abortStatus: 500 });
    expect((await client.send('world', { headers: { 'x-meshdesk-caller': 'hello' } })).status).toBe(418);
    expect((await client.send('world')).status).toBe(500);
    faults.clear('world');
    faults.clear('world', 'hello');
    expect((await client.send('world', { headers: { 'x-meshdesk-caller': 'hello' } })).status).toBe(200);
  });
});
