/**
 * The whole shell against a real Mesh, real sockets and real state files, with plain objects
 * standing in for Electron's modules (testing/fake-electron.ts: its binary cannot exist here).
 * Run: npx vitest run main/electron/desktop-app.test.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../shared/admin-client.js';
import { desktopChannels } from '../../shared/desktop-bridge.js';
import { emptyMeshState, type MeshState } from '../mesh/index.js';
import { runDesktopApp, type RunningDesktopApp } from './desktop-app.js';
import { desktopStoreOptions, type DesktopState } from './desktop-state.js';
import type { IpcSyncEvent } from './ipc.js';
import { KeyValueStateStore, openStateFile } from './state-file.js';
import { click, fakeElectron, type FakeElectron } from './testing/fake-electron.js';

let dir: string;
const running: { app: FakeElectron['app']; result: RunningDesktopApp | null }[] = [];
const servers: http.Server[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'meshdesk-desktop-app-'));
});
afterEach(async () => {
  for (const { app, result } of running.splice(0)) {
    if (!result) continue;
    const quit = new Promise((resolve) => app.once('quit', resolve));
    app.quit();
    await quit;
  }
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function openStore(directory: string, version: string) {
  return openStateFile(
    () => new KeyValueStateStore<DesktopState>(new Conf<DesktopState>({ ...desktopStoreOptions(version), cwd: directory, configName: 'desktop' })),
    path.join(directory, 'desktop.json'),
  );
}

async function launch(fake: FakeElectron, argv: string[] = ['--proxy-port=0', '--admin-port=0']) {
  const result = await runDesktopApp(fake.electron, {
    argv: ['/app', ...argv, `--user-data-dir=${path.join(dir, 'user-data')}`],
    cwd: dir,
    platform: 'linux',
    stateDir: path.join(dir, 'state'),
    rendererRoot: path.join(dir, 'renderer'),
    preload: '/app/preload.cjs',
    openDesktopStore: openStore,
    openMeshStore: (directory) =>
      openStateFile(
        () =>
          new KeyValueStateStore<MeshState>(
            new Conf<MeshState>({ cwd: directory, configName: 'mesh-state', defaults: emptyMeshState(), accessPropertiesByDotNotation: false }),
          ),
        path.join(directory, 'mesh-state.json'),
      ),
  });
  running.push({ app: fake.app, result });
  return result;
}

function getThroughProxy(proxyUrl: string, url: string): Promise<string> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    http
      .get({ host: proxy.hostname, port: proxy.port, path: url, headers: { host: new URL(url).host }, agent: false }, (res) => {
        let body = '';
        res
          .setEncoding('utf8')
          .on('data', (chunk: string) => (body += chunk))
          .on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

async function originServer(): Promise<string> {
  const server = http.createServer((_req, res) => res.end('hello from origin'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
}

describe('runDesktopApp', () => {
  it('starts the mesh and opens one hardened window, signed in, with the bridge answering only it', async () => {
    const fake = fakeElectron();
    const result = await launch(fake);
    if (!result) throw new Error('the app did not start');
    const { adminUrl } = result.addresses;
    expect(fake.app.sandboxed).toBe(true);
    expect(fake.app.getPath('userData')).toBe(path.join(dir, 'user-data'));
    expect(fake.windows).toHaveLength(1);
    const window = fake.windows[0] as (typeof fake.windows)[number];
    expect(window.options.webPreferences).toMatchObject({ preload: '/app/preload.cjs', sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(window.loaded).toEqual([expect.stringMatching(new RegExp(`^${adminUrl}/login\\?code=`))]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(window.shown).toBe(1);
    // What the window loads really signs a browser session in.
    const login = await fetch(window.loaded[0] ?? '', { redirect: 'manual' });
    expect(login.status).toBeGreaterThanOrEqual(300);
    expect(login.status).toBeLessThan(400);
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(fake.recorded.cspFilter).toEqual([`${adminUrl}/*`]);
    expect(fake.recorded.appMenu.map((item) => item.role)).toEqual(['fileMenu', 'editMenu', 'viewMenu', 'windowMenu']);

    // The window's contents are guarded: no navigation off the dashboard, no new windows.
    let prevented = false;
    window.webContents.emit('will-navigate', { url: 'file:///etc/passwd', preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(window.webContents.openHandler?.({ url: `${adminUrl}/` })).toEqual({ action: 'deny' });

    // The preload's connection request: the admin address, never the token, and only for our window.
    const connection = fake.ipc.listeners.get(desktopChannels.connection.channel);
    const ask = (id: number, url: string) => {
      const event: IpcSyncEvent = { sender: { id }, senderFrame: { url, parent: null }, returnValue: undefined };
      connection?.(event);
      return event.returnValue;
    };
    expect(ask(window.webContents.id, `${adminUrl}/`)).toEqual({ adminUrl });
    expect(ask(window.webContents.id + 100, `${adminUrl}/`)).toBeNull();
    expect(ask(window.webContents.id, 'https://evil.example/')).toBeNull();
    expect([...fake.ipc.handlers.keys()].sort()).toEqual([desktopChannels.copyExportLine.channel, desktopChannels.openExternal.channel]);
  });

  it('keeps the mesh running without the window; the tray reopens it, copies the export line and quits', async () => {
    const fake = fakeElectron();
    const result = await launch(fake);
    if (!result) throw new Error('the app did not start');
    const origin = await originServer();
    const { proxyUrl, adminUrl } = result.addresses;
    expect(await getThroughProxy(proxyUrl, origin)).toBe('hello from origin');

    fake.windows[0]?.close();
    expect(result.dashboard.ownsWebContents(fake.windows[0]?.webContents.id ?? -1)).toBe(false);
    expect(await getThroughProxy(proxyUrl, origin)).toBe('hello from origin');

    const tray = fake.trays[0];
    if (!tray) throw new Error('no tray');
    expect(tray.tooltip).toMatch(/^Meshdesk: proxy on, /);
    expect(tray.menu[0]?.label).toBe(`Proxy on at ${proxyUrl.replace('http://', '')}`);
    click(tray.menu, 'Open dashboard');
    expect(fake.windows).toHaveLength(2);
    // The session is signed in already: later windows open the dashboard itself.
    expect(fake.windows[1]?.loaded).toEqual([`${adminUrl}/`]);
    const shownBefore = fake.windows[1]?.shown ?? 0;
    fake.app.emit('second-instance');
    expect(fake.windows).toHaveLength(2);
    expect(fake.windows[1]?.shown).toBe(shownBefore + 1);

    click(tray.menu, /^Copy "export http_proxy=/);
    expect(fake.recorded.copied).toEqual([`export http_proxy=${proxyUrl}`]);

    const quit = new Promise((resolve) => fake.app.once('quit', resolve));
    click(tray.menu, 'Quit Meshdesk');
    await quit;
    running.splice(0);
    expect(tray.destroyed).toBe(true);
    await expect(getThroughProxy(proxyUrl, origin)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('keeps services and routes registered through the admin API (the GUI, the CLI) across a restart', async () => {
    const first = fakeElectron();
    const before = await launch(first);
    if (!before) throw new Error('the app did not start');
    const token = readFileSync(path.join(dir, 'state', 'admin-token'), 'utf8').trim();
    const client = new AdminClient(before.addresses.adminUrl, token);
    await client.call('registerInstance', { service: 'world', version: 'v1', address: '127.0.0.1:7002', origin: 'GUI' });
    await client.call('registerInstance', { service: 'world', version: 'v2', address: '127.0.0.1:7003', origin: 'GUI' });
    await client.call('reroute', { service: 'world', version: 'v2', origin: 'api' });
    const routesBefore = await client.call('listRoutes');
    const quit = new Promise((resolve) => first.app.once('quit', resolve));
    first.app.quit();
    await quit;
    running.splice(0);

    const after = await launch(fakeElectron());
    if (!after) throw new Error('the app did not start again');
    const again = new AdminClient(after.addresses.adminUrl, token);
    const world = (await again.call('listServices')).find((service) => service.name === 'world');
    expect(world?.versions.map((version) => [version.name, version.instances.map((instance) => instance.address)])).toEqual([
      ['v1', ['127.0.0.1:7002']],
      ['v2', ['127.0.0.1:7003']],
    ]);
    // The route itself is kept; its change history is per run.
    const withoutHistory = (routes: typeof routesBefore) => routes.map(({ history: _history, ...route }) => route);
    expect(withoutHistory(await again.call('listRoutes'))).toEqual(withoutHistory(routesBefore));
    expect(JSON.stringify(routesBefore)).toContain('"v2":1');
  });

  it('lets a second instance go without starting anything', async () => {
    const fake = fakeElectron({ singleInstance: false });
    expect(await launch(fake)).toBeNull();
    expect(fake.app.quitRequests).toBe(1);
    expect(fake.windows).toHaveLength(0);
  });

  it('asks when the saved proxy port is taken, and remembers the port the user chose', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as net.AddressInfo).port;
    try {
      const userData = path.join(dir, 'user-data');
      openStore(userData, '0.1.0').store.set('settings', { proxyPort: taken, adminPort: 9990, configFile: null });
      const fake = fakeElectron({ dialogAnswer: 0 });
      const result = await launch(fake, ['--admin-port=0']);
      expect(fake.recorded.prompts[0]?.message).toMatch(new RegExp(`^The proxy port ${taken} is in use by .+ \\(pid ${process.pid}\\)\\.$`));
      const chosen = result?.addresses.proxyPort;
      expect(chosen).not.toBe(taken);
      expect(fake.recorded.prompts[0]?.buttons[0]).toBe(`Use port ${chosen}`);
      // The chosen proxy port is saved; the admin port from the command line is not.
      expect(openStore(userData, '0.1.0').store.get('settings')).toEqual({ proxyPort: chosen, adminPort: 9990, configFile: null });
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('refuses bad arguments before touching anything', async () => {
    const fake = fakeElectron();
    expect(await launch(fake, ['--proxy-port=99999'])).toBeNull();
    expect(fake.app.exitCode).toBe(2);
    expect(fake.windows).toHaveLength(0);
  });
});
