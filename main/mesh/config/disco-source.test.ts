// The disco/ folder as a live source, with real files: creating, editing in place and by rename,
// garbage lines (reported, good lines kept), deleting and re-creating a file, the folder itself
// appearing after start, and a 10,000-line file. Run: npx vitest run main/mesh/config/disco-source.test.ts
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Registry, type RegistryChange } from '../registry/registry.js';
import { DiscoSource } from './disco-source.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function discoFolder(files: Record<string, string>, create = true) {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-disco-'));
  const dir = path.join(workspace, 'disco');
  if (create) mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const registry = new Registry();
  const source = new DiscoSource({ directory: dir, registry });
  cleanups.push(() => {
    source.close();
    rmSync(workspace, { recursive: true, force: true });
  });
  await source.start();
  const changes: RegistryChange[] = [];
  registry.onChange((change) => changes.push(change));
  const addresses = (service: string, version = 'default') =>
    registry
      .lookup(service)
      ?.versions.get(version)
      ?.map((instance) => instance.address) ?? [];
  const until = (check: () => void) => vi.waitFor(check, { timeout: 3_000, interval: 10 });
  const write = (name: string, text: string) => writeFileSync(path.join(dir, name), text);
  const atomicWrite = (name: string, text: string) => {
    writeFileSync(path.join(dir, `.${name}.tmp`), text);
    renameSync(path.join(dir, `.${name}.tmp`), path.join(dir, name));
  };
  return { dir, registry, source, changes, addresses, until, write, atomicWrite };
}

describe('DiscoSource', () => {
  it('loads one file per service, versions from @ names, origins from file names', async () => {
    const d = await discoFolder({ world: '127.0.0.1 7002\n', 'world@v2': '# canary\n127.0.0.1 7003 * 0.5\n', '.hidden': 'x' });
    expect(d.registry.list()).toEqual([
      {
        name: 'world',
        versions: [
          { name: 'default', instances: [expect.objectContaining({ address: '127.0.0.1:7002', origin: 'disco/world', weight: 1 })] },
          { name: 'v2', instances: [expect.objectContaining({ address: '127.0.0.1:7003', origin: 'disco/world@v2', weight: 0.5 })] },
        ],
      },
    ]);
    expect(d.source.problems).toEqual([]);
  });

  it('follows in-place edits, atomic renames, new files, and deletion and re-creation of a file', async () => {
    const d = await discoFolder({ world: '127.0.0.1 7002\n' });
    d.write('world', '127.0.0.1 7002\n127.0.0.1 7003\n');
    await d.until(() => expect(d.addresses('world')).toEqual(['127.0.0.1:7002', '127.0.0.1:7003']));
    d.atomicWrite('world', '127.0.0.1 7004\n');
    await d.until(() => expect(d.addresses('world')).toEqual(['127.0.0.1:7004']));
    d.write('hello', '127.0.0.1 7001\n');
    await d.until(() => expect(d.addresses('hello')).toEqual(['127.0.0.1:7001']));
    unlinkSync(path.join(d.dir, 'world'));
    await d.until(() => expect(d.registry.lookup('world')).toBeUndefined());
    d.write('world', '127.0.0.1 7005\n');
    await d.until(() => expect(d.addresses('world')).toEqual(['127.0.0.1:7005']));
    expect(d.addresses('hello')).toEqual(['127.0.0.1:7001']);
  });

  it('reports garbage lines with file and line, keeping the good lines, and clears the report when fixed', async () => {
    const d = await discoFolder({ world: '127.0.0.1 7002\n' });
    d.write('world', '127.0.0.1 7002\nnot an address at all\n127.0.0.1 7003\n');
    await d.until(() => expect(d.addresses('world')).toEqual(['127.0.0.1:7002', '127.0.0.1:7003']));
    expect(d.source.problems).toEqual([
      { file: 'disco/world', line: 2, column: 1, severity: 'error', message: expect.stringContaining('expected "host port"') },
    ]);
    d.write('world', '127.0.0.1 7002\n127.0.0.1 7003\n');
    await d.until(() => expect(d.source.problems).toEqual([]));
  });

  it('reports a file whose name is not a service, and makes no event for an unchanged save', async () => {
    const d = await discoFolder({ world: '127.0.0.1 7002\n', Bad_Name: '127.0.0.1 7009\n' });
    expect(d.source.problems).toEqual([
      expect.objectContaining({ file: 'disco/Bad_Name', line: 0, message: expect.stringContaining('must be a service name') }),
    ]);
    const reads = vi.spyOn(d.source, 'refresh');
    d.write('world', '127.0.0.1 7002\n');
    await d.until(() => expect(reads).toHaveBeenCalledTimes(1));
    await reads.mock.results[0]?.value;
    expect(d.changes).toEqual([]);
  });

  it('picks up the folder when it is created after start, and drops its instances when it is removed', async () => {
    const d = await discoFolder({}, false);
    expect(d.registry.list()).toEqual([]);
    mkdirSync(d.dir);
    d.write('world', '127.0.0.1 7002\n');
    await d.until(() => expect(d.addresses('world')).toEqual(['127.0.0.1:7002']));
    d.write('world', '127.0.0.1 7003\n');
    await d.until(() => expect(d.addresses('world')).toEqual(['127.0.0.1:7003']));
    rmSync(d.dir, { recursive: true });
    await d.until(() => expect(d.registry.list()).toEqual([]));
  });

  it('loads a 10,000-line file with garbage in it', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => (i === 5_000 ? '%%% garbage %%%' : `127.0.0.1 ${20_000 + i}`));
    const d = await discoFolder({ big: '127.0.0.1 1\n' });
    const started = performance.now();
    d.write('big', lines.join('\n'));
    await d.until(() => expect(d.addresses('big')).toHaveLength(9_999));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(d.source.problems).toEqual([expect.objectContaining({ file: 'disco/big', line: 5_001 })]);
  });
});
