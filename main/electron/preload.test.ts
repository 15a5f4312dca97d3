/**
 * The built preload bundle (what Electron actually loads), run in a fresh V8 context with a
 * stand-in for the `require('electron')` a sandboxed preload gets: it must load nothing else,
 * expose exactly the bridge's keys under `meshdesk`, never the admin token, send only on the
 * table's channels, and expose nothing when main refuses the connection request.
 * Run: npx vitest run main/electron/preload.test.ts
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_BRIDGE_GLOBAL, desktopBridgeKeys, desktopChannels, type DesktopBridge } from '../../shared/desktop-bridge.js';

const repo = path.resolve(import.meta.dirname, '..', '..');
let outDir: string;
let bundle: string;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'meshdesk-preload-'));
  await promisify(execFile)(process.execPath, [path.join(repo, 'scripts', 'electron-build-preload.js'), '--out-dir', outDir], { cwd: repo });
  bundle = readFileSync(path.join(outDir, 'preload.cjs'), 'utf8');
}, 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

// Any object: main's answer crosses a process boundary, so the bundle must not trust its shape.
function runPreload(connection: Record<string, unknown> | null) {
  const exposed = new Map<string, unknown>();
  const sent: { channel: string; args: unknown[]; sync: boolean }[] = [];
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      sendSync: (channel: string, ...args: unknown[]) => (sent.push({ channel, args, sync: true }), connection),
      invoke: async (channel: string, ...args: unknown[]) => void sent.push({ channel, args, sync: false }),
    },
  };
  const require = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  const module = { exports: {} };
  vm.runInNewContext(bundle, { require, module, exports: module.exports });
  return { exposed, sent, required };
}

describe('the preload bundle', () => {
  it('exposes exactly the bridge keys, with the connection main gave it', async () => {
    const { exposed, sent, required } = runPreload({ adminUrl: 'http://127.0.0.1:9990' });
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual([DESKTOP_BRIDGE_GLOBAL]);
    const bridge = exposed.get(DESKTOP_BRIDGE_GLOBAL) as DesktopBridge;
    expect(Object.keys(bridge).sort()).toEqual([...desktopBridgeKeys]);
    expect(bridge.adminUrl).toBe('http://127.0.0.1:9990');
    await bridge.copyExportLine();
    await bridge.openExternal('https://example.org/');
    expect(sent).toEqual([
      { channel: desktopChannels.connection.channel, args: [], sync: true },
      { channel: desktopChannels.copyExportLine.channel, args: [], sync: false },
      { channel: desktopChannels.openExternal.channel, args: ['https://example.org/'], sync: false },
    ]);
  });

  it('passes on only the bridge keys, so a secret in the answer from main never reaches the page', () => {
    const { exposed } = runPreload({ adminUrl: 'http://127.0.0.1:9990', adminToken: 'secret' });
    const bridge = exposed.get(DESKTOP_BRIDGE_GLOBAL) as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual([...desktopBridgeKeys]);
    expect(JSON.stringify(bridge)).not.toContain('secret');
  });

  it('exposes nothing when main refuses the connection', () => {
    const { exposed } = runPreload(null);
    expect(exposed.size).toBe(0);
  });
});
