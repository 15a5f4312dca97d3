/**
 * The desktop state's schema, migrations and file recovery, on real files through `conf` (the
 * library electron-store extends; electron-store itself needs the Electron binary to load) with
 * exactly the options the app passes to electron-store.
 * Run: npx vitest run main/electron/desktop-state.test.ts
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { desktopStateDefaults, desktopStoreOptions, type DesktopState } from './desktop-state.js';
import { KeyValueStateStore, openStateFile } from './state-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'meshdesk-desktop-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = () => path.join(dir, 'desktop.json');

function open(version = '0.1.0') {
  return new KeyValueStateStore<DesktopState>(new Conf<DesktopState>({ ...desktopStoreOptions(version), cwd: dir, configName: 'desktop' }));
}

describe('the desktop state file', () => {
  it('starts with the defaults and keeps what was set across a reopen', () => {
    const first = open();
    expect(first.get('settings')).toEqual(desktopStateDefaults().settings);
    first.set('window', { bounds: { x: 10, y: 20, width: 900, height: 700 }, maximized: true });
    first.set('settings', { proxyPort: 4141, adminPort: 9991, configFile: '/work/meshdesk.yaml' });
    const second = open();
    expect(second.get('window')).toEqual({ bounds: { x: 10, y: 20, width: 900, height: 700 }, maximized: true });
    expect(second.get('settings').proxyPort).toBe(4141);
  });

  it('is readable by its owner only', () => {
    open().set('settings', { proxyPort: 4141, adminPort: 9991, configFile: null });
    expect(statSync(file()).mode & 0o077).toBe(0);
  });

  it('refuses to write a value the schema rejects, and keeps the previous one', () => {
    const store = open();
    const bad = { proxyPort: 70_000, adminPort: 9990, configFile: null };
    expect(() => store.set('settings', bad)).toThrow(/schema violation/i);
    expect(() => store.set('window', { bounds: { x: 0, y: 0, width: 0.5, height: 10 }, maximized: false })).toThrow();
    expect(open().get('settings')).toEqual(desktopStateDefaults().settings);
  });

  it('migrates a file written before versions were recorded: bad keys repaired, good ones kept', () => {
    writeFileSync(
      file(),
      JSON.stringify({ window: { bounds: 'somewhere', maximized: 'yes' }, settings: { proxyPort: 4242, adminPort: 9992, configFile: null } }),
    );
    const store = open();
    expect(store.get('window')).toEqual(desktopStateDefaults().window);
    expect(store.get('settings')).toEqual({ proxyPort: 4242, adminPort: 9992, configFile: null });
    const onDisk = JSON.parse(readFileSync(file(), 'utf8')) as { __internal__?: { migrations?: { version?: string } } };
    expect(onDisk.__internal__?.migrations?.version).toBe('0.1.0');
  });

  it('moves a corrupt file aside instead of failing to start or emptying it', () => {
    writeFileSync(file(), '{"settings": {"proxyPort": 4141,');
    const opened = openStateFile(
      () => open(),
      file(),
      () => new Date('2026-01-02T03:04:05.000Z'),
    );
    expect(opened.movedAside).toBe(`${file()}.unreadable-2026-01-02T03-04-05.000Z`);
    expect(readFileSync(opened.movedAside ?? '', 'utf8')).toBe('{"settings": {"proxyPort": 4141,');
    expect(opened.store.get('settings')).toEqual(desktopStateDefaults().settings);
  });

  it('moves aside a migrated file that a hand edit broke later', () => {
    open().set('settings', { proxyPort: 4141, adminPort: 9991, configFile: null });
    const text = JSON.parse(readFileSync(file(), 'utf8')) as Record<string, unknown>;
    writeFileSync(file(), JSON.stringify({ ...text, settings: { proxyPort: 'fast' } }));
    const opened = openStateFile(() => open(), file());
    expect(opened.problem).toMatch(/schema violation/i);
    expect(readdirSync(dir).some((name) => name.startsWith('desktop.json.unreadable-'))).toBe(true);
    expect(opened.store.get('settings')).toEqual(desktopStateDefaults().settings);
  });

  it('opens a valid file as it is', () => {
    open().set('settings', { proxyPort: 4141, adminPort: 9991, configFile: null });
    const opened = openStateFile(() => open(), file());
    expect(opened.movedAside).toBeNull();
    expect(opened.store.get('settings').proxyPort).toBe(4141);
  });
});
