// Runtime registrations (`meshdesk register`, the GUI): validation, replace/deregister rules,
// persistence through the memory store and a real JsonFileStore on disk, surviving a "restart" (a new
// registry and store reading the same file). Run: npx vitest run main/mesh/registry/runtime-registrations.test.ts
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonFileStore } from '../store/json-file-store.js';
import { emptyMeshState, type MeshState } from '../store/mesh-state.js';
import { MemoryStore } from '../store/memory-store.js';
import type { StateStore } from '../store/state-store.js';
import { Registry } from './registry.js';
import { RegistrationError, RuntimeRegistrations } from './runtime-registrations.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-registrations-'));
  dirs.push(dir);
  return dir;
}

function boot(store: StateStore<MeshState>) {
  const registry = new Registry();
  const registrations = new RuntimeRegistrations(store, registry);
  const problems = registrations.load();
  return { registry, registrations, problems };
}

describe('RuntimeRegistrations', () => {
  it('registers into the registry with origin CLI or GUI and survives a restart on a JsonFileStore', () => {
    const dir = tempDir();
    const first = boot(new JsonFileStore({ directory: dir, defaults: emptyMeshState() }));
    first.registrations.register({ service: 'world', version: 'v2', address: '127.0.0.1:7003', origin: 'CLI' });
    first.registrations.register({
      service: 'hello',
      address: '127.0.0.1:7001',
      origin: 'GUI',
      labels: { owner: 'me' },
      healthCheck: { type: 'http', path: '/health', interval: '50ms' },
    });
    expect(first.registry.lookup('world')?.versions.get('v2')?.[0]?.origin).toBe('CLI');

    const second = boot(new JsonFileStore({ directory: dir, defaults: emptyMeshState() }));
    expect(second.problems).toEqual([]);
    expect(second.registry.list()).toEqual(first.registry.list());
    expect(second.registry.lookup('hello')?.versions.get('default')?.[0]).toMatchObject({
      origin: 'GUI',
      labels: { owner: 'me' },
      healthCheck: { type: 'http', path: '/health', interval: 50, expectStatus: '2xx' },
    });
  });

  it('refuses bad input with a message that names the field, and stores nothing', () => {
    const store = new MemoryStore(emptyMeshState());
    const { registrations, registry } = boot(store);
    const attempt = (input: Parameters<typeof registrations.register>[0]) => () => registrations.register(input);
    expect(attempt({ service: 'World!', address: '127.0.0.1:1', origin: 'CLI' })).toThrow(/^service: must be a DNS label/);
    expect(attempt({ service: 'world', address: '127.0.0.1:65536', origin: 'CLI' })).toThrow('address: port must be between 1 and 65535');
    expect(attempt({ service: 'world', address: 'nohost', origin: 'CLI' })).toThrow(RegistrationError);
    expect(store.get('registrations')).toEqual([]);
    expect(registry.list()).toEqual([]);
  });

  it('warns about a host that is not on this machine, but registers it', () => {
    const { registrations } = boot(new MemoryStore(emptyMeshState()));
    expect(registrations.register({ service: 'db', address: '192.168.1.20:5432', origin: 'CLI' }).warnings).toEqual([
      expect.stringContaining('192.168.1.20:5432 is not on this machine'),
    ]);
  });

  it('re-registering an address moves it (an instance serves one version); deregistering removes it', () => {
    const store = new MemoryStore(emptyMeshState());
    const { registrations, registry } = boot(store);
    registrations.register({ service: 'world', version: 'v1', address: '127.0.0.1:7003', origin: 'CLI' });
    const moved = registrations.register({ service: 'world', version: 'v2', address: '127.0.0.1:7003', origin: 'GUI' });
    expect(moved.replaced).toBe(true);
    expect([...(registry.lookup('world')?.versions.keys() ?? [])]).toEqual(['v2']);
    expect(() => registrations.deregister({ service: 'world', version: 'v1', address: '127.0.0.1:7003' })).toThrow('world@v1 127.0.0.1:7003 is not registered');
    expect(registrations.deregister({ service: 'world', address: '127.0.0.1:7003' })).toHaveLength(1);
    expect(registry.list()).toEqual([]);
    expect(store.get('registrations')).toEqual([]);
  });

  it('explains that an instance from meshdesk.yaml cannot be deregistered at runtime', () => {
    const { registrations, registry } = boot(new MemoryStore(emptyMeshState()));
    registry.replaceSource('config', [{ service: 'world', version: 'v1', address: '127.0.0.1:7002', origin: 'meshdesk.yaml:7' }]);
    expect(() => registrations.deregister({ service: 'world', address: '127.0.0.1:7002' })).toThrow(
      'world 127.0.0.1:7002 comes from meshdesk.yaml:7, not from a runtime registration: remove it there',
    );
  });

  it('does not publish a registration whose write failed', () => {
    const registry = new Registry();
    const failing: StateStore<MeshState> = {
      get: () => [],
      set: () => {
        throw new Error('ENOSPC: no space left on device');
      },
    };
    const registrations = new RuntimeRegistrations(failing, registry);
    registrations.load();
    expect(() => registrations.register({ service: 'world', address: '127.0.0.1:1', origin: 'CLI' })).toThrow('ENOSPC');
    expect(registry.list()).toEqual([]);
    expect(registrations.list()).toEqual([]);
  });

  it('skips and reports hand-edited records that are invalid, keeping the good ones', () => {
    const dir = tempDir();
    const file = path.join(dir, 'state.json');
    writeFileSync(
      file,
      JSON.stringify({
        registrations: [
          { service: 'ok', version: 'default', address: '127.0.0.1:1', origin: 'CLI', registeredAt: 'x' },
          { service: 'bad', version: 'default', address: '127.0.0.1:99999', origin: 'CLI' },
        ],
      }),
    );
    const { registry, problems } = boot(new JsonFileStore({ directory: dir, defaults: emptyMeshState() }));
    expect(registry.list().map((service) => service.name)).toEqual(['ok']);
    expect(problems).toEqual([
      expect.objectContaining({ file: 'state store', message: expect.stringContaining('registration 2 skipped: address: port must be between 1 and 65535') }),
    ]);
    expect(JSON.parse(readFileSync(file, 'utf8')).registrations).toHaveLength(2);
  });

  it('moves a store file that is not JSON aside instead of emptying it, and starts fresh', () => {
    const dir = tempDir();
    const file = path.join(dir, 'state.json');
    writeFileSync(file, '{"registrations": [');
    const store = new JsonFileStore({ directory: dir, defaults: emptyMeshState() });
    expect(store.movedAside).toMatch(/state\.json\.unreadable-/);
    expect(readFileSync(store.movedAside as string, 'utf8')).toBe('{"registrations": [');
    const { registrations, problems } = boot(store);
    expect(problems).toEqual([]);
    registrations.register({ service: 'world', address: '127.0.0.1:7002', origin: 'CLI' });
    expect(JSON.parse(readFileSync(file, 'utf8')).registrations).toHaveLength(1);
  });
});
