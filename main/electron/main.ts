/**
 * The Electron shell: the only code that imports electron. It runs the same Mesh the CLI runs, in
 * the main process, and opens the dashboard from the admin address in a locked-down window. The
 * desktop-app issue adds the tray, persistence, the preload bridge and the port-conflict dialog.
 */
import { app, BrowserWindow, shell } from 'electron';
import { Mesh } from '../mesh/mesh.js';
import { rendererRoot } from '../package-root.js';

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const mesh = new Mesh({
    proxyHost: '127.0.0.1',
    proxyPort: 4140,
    adminHost: '127.0.0.1',
    adminPort: 9990,
    configFile: null,
    rendererRoot: rendererRoot(),
  });
  const addresses = await mesh.start();
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  await window.loadURL(`${addresses.adminUrl}/`);
  // The mesh keeps running with no window open; it stops when the app quits.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => void mesh.stop(1_000));
}

void start();
