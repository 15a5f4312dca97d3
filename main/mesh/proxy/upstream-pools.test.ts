import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROXY_LIMITS } from './proxy-limits.js';
import { UpstreamPools } from './upstream-pools.js';

// Pools connect only when a request is dispatched: these tests make and keep pools without traffic.
let pools: UpstreamPools | null = null;
afterEach(async () => {
  await pools?.close();
  pools = null;
});

function poolsWith(caps: { maxUpstreamPools: number; maxInstancePools: number }): UpstreamPools {
  pools = new UpstreamPools({ ...DEFAULT_PROXY_LIMITS, ...caps });
  return pools;
}

const address = (port: number) => `127.0.0.1:${port}`;

describe('upstream pools', () => {
  it('keeps a pool for every instance of a mesh with more instances than passthrough hosts may have', () => {
    const set = poolsWith({ maxUpstreamPools: 4, maxInstancePools: 1_000 });
    const first = Array.from({ length: 600 }, (_, i) => set.get(address(20_000 + i), undefined, 'instance'));
    // Round-robin over all of them again, as balanced traffic does: every one is the same pool.
    const again = Array.from({ length: 600 }, (_, i) => set.get(address(20_000 + i), undefined, 'instance'));
    expect(again.every((pool, i) => pool === first[i])).toBe(true);
    expect(set.size).toBe(600);
  });

  it('closes the least recently used passthrough pool beyond its cap', () => {
    const set = poolsWith({ maxUpstreamPools: 2, maxInstancePools: 1_000 });
    const a = set.get(address(1));
    const b = set.get(address(2));
    expect(set.get(address(1))).toBe(a); // a is now the most recently used
    set.get(address(3)); // over the cap: b goes
    expect(set.get(address(1))).toBe(a);
    expect(set.get(address(2))).not.toBe(b);
    expect(b.closed).toBe(true);
    expect(set.size).toBe(2);
  });

  it('caps instance pools too, as a backstop, closing the oldest', () => {
    const set = poolsWith({ maxUpstreamPools: 256, maxInstancePools: 2 });
    const first = set.get(address(1), undefined, 'instance');
    set.get(address(2), undefined, 'instance');
    set.get(address(3), undefined, 'instance');
    expect(first.closed).toBe(true);
    expect(set.size).toBe(2);
  });

  it('keeps passthrough and instance pools apart, and replaces a pool whose connect timeout changed', () => {
    const set = poolsWith({ maxUpstreamPools: 256, maxInstancePools: 256 });
    const instance = set.get(address(1), 1_000, 'instance');
    expect(set.get(address(1), 1_000)).not.toBe(instance);
    const replaced = set.get(address(1), 2_000, 'instance');
    expect(replaced).not.toBe(instance);
    expect(instance.closed).toBe(true);
    expect(set.get(address(1), 2_000, 'instance')).toBe(replaced);
  });
});
