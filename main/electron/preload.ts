/**
 * The dashboard window's preload: defines `window.meshdesk` (shared/desktop-bridge.ts) and nothing
 * else. Security model: it runs sandboxed, beside a page that must be treated as untrusted, so it
 * hands over values and narrow functions, never `ipcRenderer` or anything that could send on an
 * arbitrary channel, and no secret (the window is signed in by the admin API's HttpOnly cookie);
 * each function sends on one fixed channel, and main validates sender and arguments again. A
 * sandboxed preload can only `require('electron')`, so this file is bundled with its imports into
 * one CommonJS file (scripts/electron-build-preload.js → preload.cjs).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_BRIDGE_GLOBAL, desktopChannels, type DesktopBridge, type DesktopConnection } from '../../shared/desktop-bridge.js';

// Synchronous once, so the bridge is complete before the page's first script runs; main answers
// from memory, and answers null to a frame it does not trust (then no bridge is defined at all).
const connection = ipcRenderer.sendSync(desktopChannels.connection.channel) as DesktopConnection | null;

if (connection) {
  // Each value is picked by name: whatever else main's answer might carry stays here.
  const bridge: DesktopBridge = {
    adminUrl: connection.adminUrl,
    copyExportLine: () => ipcRenderer.invoke(desktopChannels.copyExportLine.channel) as Promise<void>,
    openExternal: (url: string) => ipcRenderer.invoke(desktopChannels.openExternal.channel, url) as Promise<void>,
  };
  contextBridge.exposeInMainWorld(DESKTOP_BRIDGE_GLOBAL, bridge);
}
