/**
 * The desktop app end to end, with Playwright's Electron driver: the real shell (dist/main/electron,
 * the bundled preload, the mesh in its main process) on free ports, with a temporary profile
 * (--user-data-dir) and state folder per test. Run: `npm run build && npx playwright test
 * e2e/electron.spec.ts` (on Linux without a display, under `xvfb-run`).
 *
 * Where no Electron binary is installed (it cannot be downloaded everywhere) every test here is
 * reported as skipped with that reason: never as passed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron as electron, test as base, expect, type ElectronApplication, type Page } from '@playwright/test';
import { electronBinary, NO_ELECTRON_REASON } from '../scripts/electron-binary.js';
import { adminOperations } from '../shared/api.js';
import { DESKTOP_BRIDGE_GLOBAL, desktopBridgeKeys } from '../shared/desktop-bridge.js';
import { getViaProxyAgent } from './fixtures/http-clients.js';
import { startTextServer } from './fixtures/text-server.js';
import { DashboardPage } from './pages/dashboard-page.js';

const binary = electronBinary();
const repo = path.resolve(import.meta.dirname, '..');

interface Desktop {
  app: ElectronApplication;
  window: Page;
  dashboard: DashboardPage;
}

const test = base.extend<{ profile: string; launch: () => Promise<Desktop> }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies by destructuring.
  profile: async ({}, use) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'meshdesk-electron-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  launch: async ({ profile }, use) => {
    const apps: ElectronApplication[] = [];
    await use(async () => {
      const app = await electron.launch({
        executablePath: binary ?? undefined,
        args: [repo, `--user-data-dir=${path.join(profile, 'user-data')}`, '--proxy-port=0', '--admin-port=0'],
        cwd: profile,
        env: { ...process.env, MESHDESK_STATE_DIR: path.join(profile, 'state'), http_proxy: '', HTTP_PROXY: '' },
      });
      apps.push(app);
      const window = await app.firstWindow();
      const dashboard = new DashboardPage(window);
      await expect(dashboard.heading).toBeVisible();
      await expect(dashboard.connection).toHaveText('live');
      return { app, window, dashboard };
    });
    for (const app of apps) await app.close().catch(() => undefined);
  },
});

test.skip(binary === null, NO_ELECTRON_REASON);
// The list reporter shows skips without their reason; say it once where everyone reads it.
if (binary === null && process.env.TEST_WORKER_INDEX === undefined) console.log(`e2e/electron.spec.ts skipped: ${NO_ELECTRON_REASON}`);

test('the window loads the dashboard, with exactly the bridge keys, no token and no Node', async ({ launch }) => {
  const { window } = await launch();
  const keys = await window.evaluate<string[]>(`Object.keys(window.${DESKTOP_BRIDGE_GLOBAL} ?? {}).sort()`);
  expect(keys).toEqual([...desktopBridgeKeys]);
  expect(await window.evaluate<string>(`window.${DESKTOP_BRIDGE_GLOBAL}.adminUrl`)).toBe(new URL(window.url()).origin);
  // The window is signed in by the session cookie, which is HttpOnly: script in it sees no secret.
  expect(await window.evaluate<string>(`typeof window.${DESKTOP_BRIDGE_GLOBAL}.adminToken`)).toBe('undefined');
  expect(await window.evaluate<string>('document.cookie')).toBe('');
  expect(await window.evaluate<string[]>(`[typeof require, typeof process, typeof module]`)).toEqual(['undefined', 'undefined', 'undefined']);
  const csp = await window.evaluate<string | null>(`fetch('/').then((r) => r.headers.get('content-security-policy'))`);
  expect(csp).toContain("default-src 'none'");
});

test('the proxy in the main process answers, and keeps answering with the window closed', async ({ launch }) => {
  const { app, dashboard } = await launch();
  await dashboard.open('settings');
  const proxyUrl = (await dashboard.proxyUrl.innerText()).trim();
  const origin = await startTextServer('hello through the desktop proxy');
  try {
    expect((await getViaProxyAgent(proxyUrl, `http://${origin.address}/`)).body).toBe('hello through the desktop proxy');
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().forEach((w) => w.close()));
    await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(0);
    expect((await getViaProxyAgent(proxyUrl, `http://${origin.address}/`)).body).toBe('hello through the desktop proxy');
  } finally {
    await origin.close();
  }
});

test('navigation away from the dashboard is refused', async ({ launch }) => {
  const { window } = await launch();
  const before = window.url();
  await window.evaluate(`location.href = 'file:///etc/passwd'`);
  await window.waitForTimeout(500);
  expect(window.url()).toBe(before);
});

test('the window comes back where it was after a restart', async ({ launch }) => {
  const first = await launch();
  const bounds = { x: 40, y: 50, width: 900, height: 640 };
  await first.app.evaluate(({ BrowserWindow }, b) => BrowserWindow.getAllWindows()[0]?.setBounds(b), bounds);
  await first.app.close();
  const second = await launch();
  const restored = await second.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getNormalBounds());
  expect(restored).toMatchObject({ width: bounds.width, height: bounds.height });
});

test('a service registered through the admin API is still there after a restart', async ({ launch }) => {
  const first = await launch();
  // Registered from the window itself, as the Services form does: its session cookie signs the call in.
  const { method, path: apiPath } = adminOperations.registerInstance;
  const input = { service: 'world', version: 'v2', address: '127.0.0.1:7003', origin: 'GUI' };
  const status = await first.window.evaluate(
    ([m, p, body]) => fetch(p, { method: m, headers: { 'content-type': 'application/json' }, body }).then((r) => r.status),
    [method, apiPath, JSON.stringify(input)] as const,
  );
  expect(status).toBe(200);
  await first.app.close();
  const second = await launch();
  await second.dashboard.open('services');
  await expect(second.dashboard.versionRow('world', 'v2')).toContainText('127.0.0.1:7003');
});
