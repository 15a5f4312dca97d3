/**
 * The desktop app: wires the shell's pieces around a Mesh running in the main process. Electron
 * and the state file are passed in (main.ts passes the real ones), so the whole lifecycle runs in
 * a unit test against a real mesh.
 *
 * Lifecycle: one instance per profile (a second launch shows the first one's window); the mesh
 * starts before any window exists, resolving a taken port with the user; the dashboard window
 * comes and goes while the mesh and the tray stay; quitting (tray, app menu, the OS) stops the
 * mesh, letting in-flight requests finish for a bounded time, before the process exits.
 *
 * Security: every webContents is guarded (security.ts), the default session gets the CSP header
 * and denies permissions, and IPC is registered only through ipc.ts, with sender checks.
 */
import { exportLine } from '../../shared/export-line.js';
import { MESHDESK_VERSION, startMesh, type Mesh, type MeshAddresses, type MeshState, type StartedMesh, type StateStore } from '../mesh/index.js';
import { appMenuTemplate } from './app-menu.js';
import { DashboardWindow } from './dashboard-window.js';
import { parseDesktopArgs } from './desktop-args.js';
import type { DesktopState } from './desktop-state.js';
import type { ElectronApi } from './electron-api.js';
import { freePortNear } from './free-port.js';
import { registerIpc } from './ipc.js';
import { startResolvingConflicts, type Ports } from './port-conflict.js';
import { pausableProxy, ProxySwitch } from './proxy-switch.js';
import { guardContents, hardenSession, isExternalWebUrl } from './security.js';
import type { OpenedStateFile } from './state-file.js';
import { createStatusTray } from './status-tray.js';
import { TrafficMeter } from './traffic-meter.js';
import type { TrayAction } from './tray-menu.js';

const LOOPBACK = '127.0.0.1';
const STOP_GRACE_MS = 2_000;

export interface DesktopAppOptions {
  /** process.argv after argv[0]: the parser ignores positionals and Chromium's switches. */
  argv: readonly string[];
  cwd: string;
  platform: NodeJS.Platform;
  /** Where the admin token lives, shared with the CLI (main/mesh/state-dir.ts). */
  stateDir: string;
  /** The built dashboard. */
  rendererRoot: string;
  /** The bundled preload (preload.cjs). */
  preload: string;
  openDesktopStore(directory: string, version: string): OpenedStateFile<StateStore<DesktopState>>;
  /** The mesh's own state (services and routes registered in the GUI or with the CLI). */
  openMeshStore(directory: string): OpenedStateFile<StateStore<MeshState>>;
}

export interface RunningDesktopApp {
  mesh: Mesh;
  addresses: MeshAddresses;
  dashboard: DashboardWindow;
}

/** Starts the app; resolves null when it does not run (second instance, bad arguments, user quit). */
export async function runDesktopApp(electron: ElectronApi, options: DesktopAppOptions): Promise<RunningDesktopApp | null> {
  const { app, dialog } = electron;
  const parsed = parseDesktopArgs(options.argv, options.cwd);
  if (!parsed.ok) {
    console.error(`meshdesk: ${parsed.error}`);
    app.exit(2);
    return null;
  }
  const args = parsed.args;
  if (args.userDataDir) app.setPath('userData', args.userDataDir);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  // Sandbox every renderer, whatever a future window forgets to set.
  app.enableSandbox();
  await app.whenReady();

  const opened = options.openDesktopStore(app.getPath('userData'), MESHDESK_VERSION);
  const meshState = options.openMeshStore(app.getPath('userData'));
  const store = opened.store;
  for (const [file, what] of [
    [opened, 'its settings'],
    [meshState, 'the services and routes registered in it'],
  ] as const) {
    if (!file.movedAside) continue;
    await dialog.showMessageBox({
      type: 'warning',
      message: `Meshdesk could not read ${what} and started without them.`,
      detail: `${file.problem ?? ''}\nThe old file is kept at ${file.movedAside}.`,
    });
  }
  const settings = store.get('settings');
  const requested: Ports = { proxyPort: args.proxyPort ?? settings.proxyPort, adminPort: args.adminPort ?? settings.adminPort };
  const configFile = args.configFile ?? settings.configFile;
  let started: StartedMesh;
  try {
    const resolved = await startResolvingConflicts(requested, {
      start: (ports) =>
        startMesh({
          proxyHost: LOOPBACK,
          adminHost: LOOPBACK,
          ...ports,
          configFile,
          rendererRoot: options.rendererRoot,
          stateDir: options.stateDir,
          stateStore: meshState.store,
        }),
      freePortNear,
      ask: async ({ answers: _answers, ...prompt }) => (await dialog.showMessageBox({ ...prompt, noLink: true })).response,
    });
    if (!resolved) {
      app.quit();
      return null;
    }
    started = resolved.started;
    // A port the user chose in the dialog is remembered; ports given on the command line are not.
    store.set('settings', {
      ...settings,
      proxyPort: args.proxyPort === null ? resolved.ports.proxyPort : settings.proxyPort,
      adminPort: args.adminPort === null ? resolved.ports.adminPort : settings.adminPort,
    });
  } catch (error) {
    dialog.showErrorBox('Meshdesk could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
    return null;
  }
  const dashboard = runShell(electron, options, started, started.adminToken, store);
  return { ...started, dashboard };
}

function runShell(
  electron: ElectronApi,
  options: DesktopAppOptions,
  { mesh, addresses }: { mesh: Mesh; addresses: MeshAddresses },
  adminToken: string,
  store: StateStore<DesktopState>,
): DashboardWindow {
  const { app, clipboard, ipcMain, Menu, session, shell } = electron;
  const origin = new URL(addresses.adminUrl).origin;
  const openExternal = (url: string) => {
    if (isExternalWebUrl(url)) void shell.openExternal(url);
  };
  hardenSession(session.defaultSession, origin);
  app.on('web-contents-created', (_event, contents) => guardContents(contents, origin, openExternal));
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(options.platform)));

  // The one-time login URL signs the window's session in (the admin API's cookie); windows opened
  // later share that session and open the dashboard directly.
  let loginUrl: string | null = addresses.loginUrl || null;
  const dashboard = new DashboardWindow(electron, {
    store,
    preload: options.preload,
    url: () => {
      const url = loginUrl ?? `${addresses.adminUrl}/`;
      loginUrl = null;
      return url;
    },
  });
  const copyExportLine = () => void clipboard.writeText(exportLine(addresses.proxyUrl));
  registerIpc(
    ipcMain,
    {
      connection: () => ({ adminUrl: addresses.adminUrl }),
      copyExportLine,
      openExternal: async (url) => {
        if (!isExternalWebUrl(url)) throw new Error('only http and https links open outside Meshdesk');
        await shell.openExternal(url);
      },
    },
    { origin, isOwnWebContents: (id) => dashboard.ownsWebContents(id) },
  );

  const meter = new TrafficMeter();
  meter.attach(mesh.telemetry);
  const proxySwitch: ProxySwitch = new ProxySwitch(pausableProxy(mesh), () => tray.refresh());
  const actions: Record<TrayAction, () => void> = {
    'open-dashboard': () => dashboard.show(),
    'toggle-proxy': () => void proxySwitch.toggle(),
    'copy-export-line': copyExportLine,
    quit: () => app.quit(),
  };
  const tray = createStatusTray(electron, {
    platform: options.platform,
    run: (action) => actions[action](),
    state: () => ({
      ...meter.read(),
      proxy: proxySwitch.status,
      proxyUrl: addresses.proxyUrl,
      canPause: proxySwitch.canPause,
      problem: proxySwitch.problem,
    }),
  });

  app.on('second-instance', () => dashboard.show());
  app.on('activate', () => dashboard.show());
  // The mesh keeps serving with no window open: closing the window is not quitting.
  app.on('window-all-closed', () => undefined);
  // Quit waits for the mesh to finish in-flight requests (bounded); a second quit does not wait.
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping) return;
    event.preventDefault();
    stopping = true;
    tray.destroy();
    mesh
      .stop(STOP_GRACE_MS)
      .catch((error: unknown) => console.error('meshdesk: error while stopping the mesh:', error))
      .finally(() => app.quit());
  });
  dashboard.show();
  return dashboard;
}
