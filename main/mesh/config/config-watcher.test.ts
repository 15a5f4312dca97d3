// meshdesk.yaml hot reload with real files and real edits: in-place writes, editor-style atomic
// renames, broken saves (the last good config stays in force, the error is visible), deletion and
// re-creation, and unchanged saves that must not make any event.
// Run: npx vitest run main/mesh/config/config-watcher.test.ts
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Registry, type RegistryChange } from '../registry/registry.js';
import { ConfigWatcher, type ConfigReload } from './config-watcher.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const yaml = (port: number, extra = '') => `proxy:\n  mode: reject\nservices:\n  world:\n    instances: [127.0.0.1:${port}]\n${extra}`;

async function watched(initial: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-config-'));
  const file = path.join(dir, 'meshdesk.yaml');
  writeFileSync(file, initial);
  const registry = new Registry();
  const reloads: ConfigReload[] = [];
  const watcher = new ConfigWatcher({ file, registry, onReload: (reload) => reloads.push(reload) });
  cleanups.push(() => {
    watcher.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await watcher.start();
  const changes: RegistryChange[] = [];
  registry.onChange((change) => changes.push(change));
  const port = () => registry.lookup('world')?.versions.get('default')?.[0]?.port;
  /** Waits until `check` passes; returns how long that took. */
  const until = async (check: () => void): Promise<number> => {
    const started = performance.now();
    await vi.waitFor(check, { timeout: 3_000, interval: 10 });
    return performance.now() - started;
  };
  /** The editor's atomic save: write a temporary file next to it, then rename it over. */
  const atomicSave = (text: string) => {
    const temp = path.join(dir, '.meshdesk.yaml.swp-tmp');
    writeFileSync(temp, text);
    renameSync(temp, file);
  };
  return { dir, file, registry, watcher, reloads, changes, port, until, atomicSave };
}

describe('ConfigWatcher', () => {
  it('reloads within a second of an in-place write and of an atomic rename save', async () => {
    const w = await watched(yaml(7002));
    expect(w.port()).toBe(7002);
    expect(w.watcher.config.proxy.mode).toBe('reject');

    writeFileSync(w.file, yaml(7003));
    const inPlace = await w.until(() => expect(w.port()).toBe(7003));
    w.atomicSave(yaml(7004));
    const renamed = await w.until(() => expect(w.port()).toBe(7004));
    expect(inPlace).toBeLessThan(1_000);
    expect(renamed).toBeLessThan(1_000);
    expect(w.changes).toHaveLength(2);
    expect(w.watcher.problems).toEqual([]);
  });

  it('keeps the last good config in force when a save breaks the file, and shows why', async () => {
    const w = await watched(yaml(7002));
    const broken: [string, RegExp][] = [
      ['services:\n  world:\n    instances: [127.0.0.1:7003\n', /.*/],
      [yaml(7003, '    wieght: 2\n'), /Unrecognized key.*wieght/],
      ['services:\n  world:\n    instances: 7003\n', /expected array/],
      ['services:\n  world:\n    instances: [127.0.0.1:7003, 127.0.0.1:7003]\n', /duplicate instance 127\.0\.0\.1:7003/],
      [`${yaml(7003)}    route:\n      weights: { v9: 1 }\n`, /route names version "v9"/],
    ];
    for (const [text, message] of broken) {
      w.atomicSave(text);
      await w.until(() => expect(w.watcher.problems[0]?.message).toMatch(message));
      expect(w.watcher.problems[0]?.line).toBeGreaterThan(0);
      expect(w.reloads.at(-1)?.ok).toBe(false);
      expect(w.port()).toBe(7002);
      expect(w.watcher.config.proxy.mode).toBe('reject');
    }
    expect(w.changes).toEqual([]);

    writeFileSync(w.file, yaml(7005));
    await w.until(() => expect(w.port()).toBe(7005));
    expect(w.watcher.problems).toEqual([]);
  });

  it('keeps serving the last good config while the file is deleted, and picks up its re-creation', async () => {
    const w = await watched(yaml(7002));
    unlinkSync(w.file);
    await w.until(() => expect(w.watcher.problems).toEqual([expect.objectContaining({ file: 'meshdesk.yaml', message: 'cannot read: the file is missing' })]));
    expect(w.port()).toBe(7002);
    writeFileSync(w.file, yaml(7006));
    await w.until(() => expect(w.port()).toBe(7006));
    expect(w.watcher.problems).toEqual([]);
  });

  it('makes no event for a save that changes nothing, or only a trailing comment', async () => {
    const w = await watched(yaml(7002));
    const reads = vi.spyOn(w.watcher, 'reload');
    writeFileSync(w.file, yaml(7002));
    await w.until(() => expect(reads).toHaveBeenCalledTimes(1));
    await reads.mock.results[0]?.value;
    w.atomicSave(yaml(7002, '# a comment at the end\n'));
    await w.until(() => expect(reads).toHaveBeenCalledTimes(2));
    await reads.mock.results[1]?.value;
    expect(w.changes).toEqual([]);
    expect(w.reloads).toHaveLength(1); // the initial load only
    writeFileSync(w.file, yaml(7007));
    await w.until(() => expect(w.port()).toBe(7007));
    expect(w.changes).toHaveLength(1);
  });

  it('starts from a missing file and loads it when it appears', async () => {
    const w = await watched(yaml(7002));
    w.watcher.close();
    unlinkSync(w.file);
    const registry = new Registry();
    const late = new ConfigWatcher({ file: w.file, registry });
    cleanups.push(() => late.close());
    await late.start();
    expect(late.problems[0]?.message).toBe('cannot read: the file is missing');
    writeFileSync(w.file, yaml(7008));
    await w.until(() => expect(registry.lookup('world')?.versions.get('default')?.[0]?.port).toBe(7008));
  });
});
