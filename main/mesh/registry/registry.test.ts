// The registry's merge of sources, its change events (one per effective change, none for a
// no-op), its health overlay and `routable`. Run: npx vitest run main/mesh/registry/registry.test.ts
import { describe, expect, it } from 'vitest';
import type { HealthCheck } from '../../../shared/config-schema.js';
import { Registry, routable, type InstanceEntry, type RegistryChange } from './registry.js';

const tcp: HealthCheck = { type: 'tcp', interval: 50, timeout: 50, healthyThreshold: 1, unhealthyThreshold: 1 };
const entry = (service: string, version: string, address: string, origin: string, extra: Partial<InstanceEntry> = {}): InstanceEntry => ({
  service,
  version,
  address,
  origin,
  ...extra,
});

function recording(registry: Registry): RegistryChange[] {
  const changes: RegistryChange[] = [];
  registry.onChange((change) => changes.push(change));
  return changes;
}

describe('Registry', () => {
  it('merges sources in order; the first source naming an instance gives its origin', () => {
    const registry = new Registry();
    registry.replaceSource('config', [entry('world', 'v1', '127.0.0.1:7002', 'meshdesk.yaml:7')]);
    registry.replaceSource('disco', [
      entry('world', 'v1', '127.0.0.1:7002', 'disco/world@v1'),
      entry('world', 'v2', '127.0.0.1:7003', 'disco/world@v2', { weight: 3 }),
    ]);
    registry.replaceSource('runtime', [entry('hello', 'default', '127.0.0.1:7001', 'CLI')]);
    expect(registry.list()).toEqual([
      {
        name: 'world',
        versions: [
          { name: 'v1', instances: [expect.objectContaining({ address: '127.0.0.1:7002', origin: 'meshdesk.yaml:7', health: 'unknown', weight: 1 })] },
          { name: 'v2', instances: [expect.objectContaining({ address: '127.0.0.1:7003', origin: 'disco/world@v2', weight: 3 })] },
        ],
      },
      { name: 'hello', versions: [{ name: 'default', instances: [expect.objectContaining({ origin: 'CLI', host: '127.0.0.1', port: 7001 })] }] },
    ]);
    expect(registry.lookup('WORLD')?.versions.get('v2')?.[0]?.port).toBe(7003);
  });

  it('sends one event per effective change and none for a replacement that changes nothing', () => {
    const registry = new Registry();
    const changes = recording(registry);
    const entries = [entry('world', 'v1', '127.0.0.1:7002', 'meshdesk.yaml:7')];
    registry.replaceSource('config', entries);
    registry.replaceSource('config', [...entries]);
    registry.replaceSource('disco', []);
    expect(changes).toEqual([{ kind: 'services', added: ['world@v1 127.0.0.1:7002'], removed: [], changed: [] }]);

    registry.replaceSource('config', [entry('world', 'v1', '127.0.0.1:7002', 'meshdesk.yaml:8')]);
    expect(changes.at(-1)).toEqual({ kind: 'services', added: [], removed: [], changed: ['world@v1 127.0.0.1:7002'] });
    registry.replaceSource('config', []);
    expect(changes.at(-1)).toEqual({ kind: 'services', added: [], removed: ['world@v1 127.0.0.1:7002'], changed: [] });
    expect(changes).toHaveLength(3);
  });

  it('counts a reordering of versions as a change (the first version is the default route)', () => {
    const registry = new Registry();
    registry.replaceSource('config', [entry('w', 'v1', '127.0.0.1:1', 'a'), entry('w', 'v2', '127.0.0.1:2', 'b')]);
    const changes = recording(registry);
    registry.replaceSource('config', [entry('w', 'v2', '127.0.0.1:2', 'b'), entry('w', 'v1', '127.0.0.1:1', 'a')]);
    expect(changes).toHaveLength(1);
    expect([...(registry.lookup('w')?.versions.keys() ?? [])]).toEqual(['v2', 'v1']);
  });

  it('keeps health across a reload that keeps the instance and its check, and drops it with the check', () => {
    const registry = new Registry();
    const checked = [entry('world', 'v1', '127.0.0.1:7002', 'meshdesk.yaml:7', { healthCheck: tcp }), entry('world', 'v1', '127.0.0.1:7004', 'x')];
    registry.replaceSource('config', checked);
    const changes = recording(registry);
    registry.setHealth('world', 'v1', '127.0.0.1:7002', 'failing', 'connection refused (first check)');
    registry.setHealth('world', 'v1', '127.0.0.1:7002', 'failing', 'again');
    registry.setHealth('world', 'v1', '127.0.0.1:7004', 'failing', 'an instance without a check has no health');
    expect(changes).toEqual([
      expect.objectContaining({
        kind: 'health',
        service: 'world',
        version: 'v1',
        address: '127.0.0.1:7002',
        from: 'unknown',
        to: 'failing',
        reason: 'connection refused (first check)',
      }),
    ]);
    const instances = registry.lookup('world')?.versions.get('v1') ?? [];
    expect(routable(instances).map((instance) => instance.address)).toEqual(['127.0.0.1:7004']);

    registry.replaceSource('config', [...checked, entry('hello', 'default', '127.0.0.1:7001', 'y')]);
    expect(registry.lookup('world')?.versions.get('v1')?.[0]).toMatchObject({ health: 'failing', healthReason: 'connection refused (first check)' });
    registry.replaceSource('config', [entry('world', 'v1', '127.0.0.1:7002', 'meshdesk.yaml:7')]);
    expect(registry.lookup('world')?.versions.get('v1')?.[0]).toMatchObject({ health: 'unknown', healthReason: null, healthCheck: null });
  });

  it('merges a 10,000-instance source quickly', () => {
    const registry = new Registry();
    const many = Array.from({ length: 10_000 }, (_, i) => entry('big', 'default', `127.0.0.1:${10_000 + i}`, 'disco/big'));
    const started = performance.now();
    registry.replaceSource('disco', many);
    registry.replaceSource('disco', [...many]);
    const elapsed = performance.now() - started;
    expect(registry.lookup('big')?.versions.get('default')).toHaveLength(10_000);
    expect(elapsed).toBeLessThan(2_000);
  });
});
