/**
 * The Electron entry (package.json "main"): hands the real Electron modules and the real state
 * file to the desktop app (desktop-app.ts), which holds the wiring and is unit-tested with Electron
 * injected. Nothing else belongs here.
 */
import path from 'node:path';
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeImage, screen, session, shell, Tray } from 'electron';
import { defaultStateDir } from '../mesh/index.js';
import { rendererRoot } from '../package-root.js';
import { runDesktopApp } from './desktop-app.js';
import { openDesktopStore, openMeshStore } from './desktop-store.js';

runDesktopApp(
  { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeImage, screen, session, shell, Tray },
  {
    argv: process.argv.slice(1),
    cwd: process.cwd(),
    platform: process.platform,
    stateDir: defaultStateDir(),
    rendererRoot: rendererRoot(),
    preload: path.join(import.meta.dirname, 'preload.cjs'),
    openDesktopStore,
    openMeshStore,
  },
).catch((error: unknown) => {
  console.error('meshdesk: the desktop app failed to start:', error);
  app.exit(1);
});
