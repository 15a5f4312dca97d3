/**
 * The IPC module's sender validation and argument checks. Electron's ipcMain cannot exist outside
 * the Electron binary, so a plain object stands in for it (the only mock here): it records the
 * listeners the module registers, and the tests call them the way Electron would.
 * Run: npx vitest run main/electron/ipc.test.ts
 */
import { describe, expect, it } from 'vitest';
import { desktopChannels } from '../../shared/desktop-bridge.js';
import { IpcRefusedError, registerIpc, senderRefusal, type DesktopHandlers, type IpcMainLike, type IpcSender, type IpcSyncEvent } from './ipc.js';

const ORIGIN = 'http://127.0.0.1:9990';
const OWN_ID = 7;
const trust = { origin: ORIGIN, isOwnWebContents: (id: number) => id === OWN_ID };

function event(overrides: { id?: number; url?: string; parent?: unknown; frame?: null } = {}): IpcSender & IpcSyncEvent {
  return {
    sender: { id: overrides.id ?? OWN_ID },
    senderFrame: overrides.frame === null ? null : { url: overrides.url ?? `${ORIGIN}/`, parent: overrides.parent ?? null },
    returnValue: undefined,
  };
}

function fakeIpcMain() {
  const invokers = new Map<string, (event: IpcSender, ...args: unknown[]) => unknown>();
  const listeners = new Map<string, (event: IpcSyncEvent, ...args: unknown[]) => void>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (invokers.has(channel)) throw new Error(`second handler for ${channel}`);
      invokers.set(channel, listener);
    },
    removeHandler: (channel) => invokers.delete(channel),
    on: (channel, listener) => listeners.set(channel, listener),
    removeListener: (channel) => listeners.delete(channel),
  };
  return { ipcMain, invokers, listeners };
}

function setup() {
  const calls: string[] = [];
  const handlers: DesktopHandlers = {
    connection: () => ({ adminUrl: ORIGIN }),
    copyExportLine: () => {
      calls.push('copy');
    },
    openExternal: async (url) => {
      calls.push(`open ${url}`);
    },
  };
  const refusals: string[] = [];
  const fake = fakeIpcMain();
  const unregister = registerIpc(fake.ipcMain, handlers, trust, (message) => refusals.push(message));
  const invoke = (name: 'copyExportLine' | 'openExternal', e: IpcSender, ...args: unknown[]) => {
    const listener = fake.invokers.get(desktopChannels[name].channel);
    if (!listener) throw new Error(`no handler for ${name}`);
    return Promise.resolve().then(() => listener(e, ...args));
  };
  const sendSync = (e: IpcSyncEvent, ...args: unknown[]) => {
    fake.listeners.get(desktopChannels.connection.channel)?.(e, ...args);
    return e.returnValue;
  };
  return { calls, refusals, fake, unregister, invoke, sendSync };
}

describe('senderRefusal', () => {
  it('trusts the top frame of our own window on the dashboard origin, whatever the path', () => {
    expect(senderRefusal(event({ url: `${ORIGIN}/services?x=1#top` }), trust)).toBeNull();
  });

  it.each([
    ['another webContents', event({ id: 99 }), 'not a Meshdesk window'],
    ['a subframe of our window', event({ parent: { url: `${ORIGIN}/` } }), 'not the top frame'],
    ['a frame that is gone', event({ frame: null }), 'frame is gone'],
    ['another origin', event({ url: 'https://evil.example/' }), 'https://evil.example'],
    ['the same host on another port', event({ url: 'http://127.0.0.1:9991/' }), 'http://127.0.0.1:9991'],
    ['localhost instead of 127.0.0.1', event({ url: 'http://localhost:9990/' }), 'http://localhost:9990'],
    ['a file URL', event({ url: 'file:///etc/passwd' }), 'origin null'],
    ['an unparseable URL', event({ url: 'not a url' }), 'no valid URL'],
  ])('refuses %s', (_label, e, reason) => {
    expect(senderRefusal(e, trust)).toContain(reason);
  });
});

describe('registerIpc', () => {
  it('registers every channel of the table exactly once, and removes them all', () => {
    const { fake, unregister } = setup();
    const registered = [...fake.invokers.keys(), ...fake.listeners.keys()].sort();
    expect(registered).toEqual(
      Object.values(desktopChannels)
        .map((c) => c.channel)
        .sort(),
    );
    unregister();
    expect(fake.invokers.size + fake.listeners.size).toBe(0);
  });

  it('answers the sync connection request from a trusted sender', () => {
    const { sendSync } = setup();
    expect(sendSync(event())).toEqual({ adminUrl: ORIGIN });
  });

  it('answers null to a sync request from a foreign sender, without the token', () => {
    const { sendSync, refusals } = setup();
    expect(sendSync(event({ url: 'https://evil.example/' }))).toBeNull();
    expect(refusals).toEqual([expect.stringContaining('meshdesk:connection refused')]);
  });

  it('runs invoke handlers for trusted senders with validated arguments', async () => {
    const { invoke, calls } = setup();
    await invoke('copyExportLine', event());
    await invoke('openExternal', event(), 'https://example.org/docs');
    expect(calls).toEqual(['copy', 'open https://example.org/docs']);
  });

  it('rejects invoke calls from untrusted senders before the handler runs', async () => {
    const { invoke, calls } = setup();
    await expect(invoke('copyExportLine', event({ id: 99 }))).rejects.toBeInstanceOf(IpcRefusedError);
    await expect(invoke('openExternal', event({ parent: {} }), 'https://example.org/')).rejects.toThrow('not the top frame');
    expect(calls).toEqual([]);
  });

  it.each<[string, unknown[]]>([
    ['no argument', []],
    ['a number', [42]],
    ['an extra argument', ['https://example.org/', 'more']],
    ['an object', [{ toString: () => 'https://example.org/' }]],
  ])('rejects openExternal with %s', async (_label, args) => {
    const { invoke, calls } = setup();
    await expect(invoke('openExternal', event(), ...args)).rejects.toThrow('bad arguments');
    expect(calls).toEqual([]);
  });
});
