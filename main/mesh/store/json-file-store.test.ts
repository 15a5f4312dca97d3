// The headless store under a crash: a child process registers instances through the real
// RuntimeRegistrations + JsonFileStore as fast as it can, printing `ack n` after each returns; the test
// kills it with SIGKILL mid-burst, then reopens the store like a restarted mesh and checks that the
// file is readable and holds every acknowledged registration. Two rounds, so the second crash also
// hits a store that already holds data. Run: npx vitest run main/mesh/store/json-file-store.test.ts
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Conf from 'conf';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from '../registry/registry.js';
import { RuntimeRegistrations } from '../registry/runtime-registrations.js';
import { JsonFileStore } from './json-file-store.js';
import { emptyMeshState } from './mesh-state.js';

const here = import.meta.dirname;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the burst child, SIGKILLs it after `killAfter` acks; resolves with every ack it printed. */
function burstAndKill(directory: string, first: number, killAfter: number): Promise<number[]> {
  const child = spawn(
    process.execPath,
    ['--import', path.join(here, 'testing', 'ts-hooks.mjs'), path.join(here, 'testing', 'registration-burst.ts'), directory, String(first), '100000'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const acks: number[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const match = /^ack (\d+)$/.exec(line);
    if (match) acks.push(Number(match[1]));
    if (acks.length === killAfter) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    // 'close' waits for stdout to drain: acks printed just before the kill are still counted.
    child.once('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended with ${code ?? signal} before the kill: ${stderr}`));
      else resolve(acks);
    });
  });
}

describe('JsonFileStore', () => {
  it('keeps every acknowledged registration when the writer is killed with SIGKILL mid-burst', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-crash-'));
    dirs.push(directory);
    const acked: number[] = [];
    for (const [first, killAfter] of [
      [0, 120],
      [1_000, 80],
    ] as const) {
      acked.push(...(await burstAndKill(directory, first, killAfter)));

      const registry = new Registry();
      const registrations = new RuntimeRegistrations(new JsonFileStore({ directory, defaults: emptyMeshState() }), registry);
      expect(registrations.load()).toEqual([]);
      const stored = new Set(registrations.list().map((registration) => registration.address));
      const missing = acked.filter((n) => !stored.has(`127.0.0.1:${10_000 + n}`));
      expect(missing).toEqual([]);
      // At most the one write in flight at the kill can be there without its ack.
      expect(stored.size - acked.length).toBeLessThanOrEqual(1);
      expect(registry.list().flatMap((service) => service.versions)).toHaveLength(stored.size);
    }
    expect(acked.length).toBeGreaterThanOrEqual(200);
    // Only the store (and perhaps a temporary file of the killed write) is left behind.
    expect(readdirSync(directory).filter((name) => name !== 'state.json' && !name.includes('.tmp'))).toEqual([]);
  });
});

describe('JsonFileStore, the file', () => {
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-store-'));
    dirs.push(dir);
    return dir;
  };

  it('opens a state.json that conf wrote (the store of earlier versions), and conf opens what it writes', () => {
    const directory = tempDir();
    const written = new Conf<Record<string, unknown>>({ cwd: directory, configName: 'state', accessPropertiesByDotNotation: false });
    written.set('routes', [{ service: 'world', weights: { v1: 90, v2: 10 } }]);
    const store = new JsonFileStore({ directory, defaults: { routes: [] as unknown[], registrations: [] as unknown[] } });
    expect(store.get('routes')).toEqual([{ service: 'world', weights: { v1: 90, v2: 10 } }]);
    store.set('registrations', [{ service: 'hello', address: '127.0.0.1:7001' }]);
    const reread = new Conf<Record<string, unknown>>({ cwd: directory, configName: 'state', accessPropertiesByDotNotation: false });
    expect(reread.get('registrations')).toEqual([{ service: 'hello', address: '127.0.0.1:7001' }]);
    expect(readFileSync(store.path, 'utf8')).toBe(JSON.stringify(reread.store, undefined, '\t'));
  });

  it('writes the defaults a file lacks, and keeps what it holds', () => {
    const directory = tempDir();
    writeFileSync(path.join(directory, 'state.json'), JSON.stringify({ kept: 1 }));
    const store = new JsonFileStore({ directory, defaults: { kept: 0, added: 'x' } });
    expect(store.get('kept')).toBe(1);
    expect(JSON.parse(readFileSync(store.path, 'utf8'))).toEqual({ kept: 1, added: 'x' });
  });

  it('hands out copies: changing what get returned does not change the store', () => {
    const store = new JsonFileStore({ directory: tempDir(), defaults: { list: [] as number[] } });
    store.set('list', [1]);
    store.get('list').push(2);
    expect(store.get('list')).toEqual([1]);
  });

  it('moves a file that is JSON but not an object aside, and opens a fresh store', () => {
    const directory = tempDir();
    writeFileSync(path.join(directory, 'state.json'), '[1, 2]');
    const store = new JsonFileStore({ directory, defaults: { list: [] as number[] } });
    expect(store.movedAside).toMatch(/state\.json\.unreadable-/);
    expect(readFileSync(store.movedAside as string, 'utf8')).toBe('[1, 2]');
    expect(store.get('list')).toEqual([]);
  });

  it('keeps memory as the disk when a write fails', () => {
    const directory = tempDir();
    const store = new JsonFileStore({ directory, defaults: { n: 1 } });
    // The store's path made a directory: the rename over it fails, as a full disk would fail the write.
    rmSync(store.path);
    mkdirSync(store.path);
    expect(() => store.set('n', 2)).toThrow();
    expect(store.get('n')).toBe(1);
  });
});
