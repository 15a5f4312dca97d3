/**
 * The balancer's scratch lists: it reuses them from pick to pick, filled up to a count and never
 * shortened, so what one pick left behind must never be seen by the next — a version of one
 * instance after a version of three, a retry's avoided instance dropped in place, round-robin over
 * exactly the candidates of this pick. Driven directly, with a fixed random source.
 * Run: npx vitest run main/mesh/resilience/balancer.test.ts
 */
import { describe, expect, it } from 'vitest';
import type { Instance } from '../registry/registry.js';
import { Resilience } from './resilience.js';
import type { VersionRef } from './ejection.js';
import { defaultPolicy, type ServicePolicy } from './service-policy.js';

function instance(port: number): Instance {
  return {
    address: `127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    origin: 'config',
    health: 'unknown',
    healthReason: null,
    healthCheck: null,
    labels: {},
    weight: 1,
  };
}

function version(name: string, ports: number[]): VersionRef {
  return { service: 'world', version: name, instances: ports.map(instance) };
}

const peakEwma: ServicePolicy = defaultPolicy({ requestTimeoutMs: 10_000, connectTimeoutMs: 1_000 });
const roundRobin: ServicePolicy = { ...peakEwma, balancer: 'round-robin' };

describe('Balancer', () => {
  it('picks only among this version after a pick over a larger one', () => {
    const { balancer } = new Resilience({ random: () => 0.99 });
    const three = version('v1', [9001, 9002, 9003]);
    const one = version('v2', [9101]);
    for (let i = 0; i < 5; i++) {
      expect(three.instances.map((each) => each.address)).toContain(balancer.pick(three, peakEwma, null, false)?.address);
      expect(balancer.pick(one, peakEwma, null, true)?.address).toBe('127.0.0.1:9101');
      expect(balancer.last.reason).toBe('the only instance available');
    }
  });

  it('round-robins over exactly the candidates of each pick', () => {
    const { balancer } = new Resilience();
    const four = version('v1', [9001, 9002, 9003, 9004]);
    const two = version('v2', [9101, 9102]);
    balancer.pick(four, roundRobin, null, false);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20; i++) {
      const address = balancer.pick(two, roundRobin, null, false)?.address ?? 'none';
      counts.set(address, (counts.get(address) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ '127.0.0.1:9101': 10, '127.0.0.1:9102': 10 });
  });

  it('drops the avoided instance and keeps the others in order, pick after pick', () => {
    const { balancer } = new Resilience();
    const three = version('v1', [9001, 9002, 9003]);
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push(balancer.pick(three, roundRobin, '127.0.0.1:9002', true)?.address ?? 'none');
    expect(seen).toEqual(['127.0.0.1:9001', '127.0.0.1:9003', '127.0.0.1:9001', '127.0.0.1:9003', '127.0.0.1:9001', '127.0.0.1:9003']);
    expect(balancer.last.reason).toBe('round-robin over 2 instances');
    // The only instance is never dropped, even when it is the one to avoid.
    expect(balancer.pick(version('v2', [9101]), roundRobin, '127.0.0.1:9101', false)?.address).toBe('127.0.0.1:9101');
  });

  it('finds no instance in a version whose instances all fail their checks', () => {
    const { balancer } = new Resilience();
    const failing = version('v1', [9001, 9002]);
    for (const each of failing.instances) (each as { health: Instance['health'] }).health = 'failing';
    balancer.pick(version('v0', [9201, 9202, 9203]), peakEwma, null, false);
    expect(balancer.pick(failing, peakEwma, null, false)).toBeNull();
  });
});
