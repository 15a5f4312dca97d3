/**
 * The desktop bridge: what the Electron preload puts on `window.meshdesk` for the dashboard, and
 * the IPC channels behind it. Declared once here so that the preload, the main process's IPC module
 * and the renderer are all typed from the same table: the bridge's shape is never written twice.
 *
 * Narrow on purpose (Electron's security checklist): the admin address and a few shell actions,
 * nothing the page does not use. No secret crosses: the window signs in like any browser, by
 * opening the one-time login URL that sets the admin API's HttpOnly session cookie, so script in
 * the page never sees the admin token (which, unlike the cookie, would keep working from anywhere
 * once read). `ipcRenderer` never crosses; every channel's sender is validated in the main process.
 * In a plain browser (headless mode) `window.meshdesk` is undefined and the renderer falls back to
 * the web platform (renderer/src/desktop.ts is its one reader of the bridge).
 */

/** The global the preload defines: `window.meshdesk`. */
export const DESKTOP_BRIDGE_GLOBAL = 'meshdesk';

export interface DesktopConnection {
  /** The admin API and dashboard address, e.g. `http://127.0.0.1:9990`. */
  adminUrl: string;
}

export interface DesktopBridge extends Readonly<DesktopConnection> {
  /** Puts `export http_proxy=…` for the running proxy on the system clipboard. */
  copyExportLine(): Promise<void>;
  /** Opens an http(s) URL in the system browser; other schemes are refused. */
  openExternal(url: string): Promise<void>;
}

/** How the renderer sees the global: absent outside the desktop app. */
export interface DesktopWindow {
  [DESKTOP_BRIDGE_GLOBAL]?: DesktopBridge;
}

/** Every key of the bridge, sorted: the e2e test checks that the window sees exactly these. */
export const desktopBridgeKeys = ['adminUrl', 'copyExportLine', 'openExternal'] as const;
// A key added to DesktopBridge but not to the list above fails to compile here.
type UnlistedKey = Exclude<keyof DesktopBridge, (typeof desktopBridgeKeys)[number]>;
const _bridgeKeysComplete: [UnlistedKey] extends [never] ? true : UnlistedKey = true;

/** What each IPC request carries and answers. */
export interface DesktopRequests {
  connection: { args: []; result: DesktopConnection };
  copyExportLine: { args: []; result: undefined };
  openExternal: { args: [url: string]; result: undefined };
}
export type DesktopRequestName = keyof DesktopRequests;

/**
 * The channel table. `sync` is used once, for the connection the preload needs before the page's
 * scripts run (main answers null to a frame it does not trust, and then no bridge is defined);
 * every other request is `invoke`.
 */
export const desktopChannels = {
  connection: { channel: 'meshdesk:connection', mode: 'sync' },
  copyExportLine: { channel: 'meshdesk:copy-export-line', mode: 'invoke' },
  openExternal: { channel: 'meshdesk:open-external', mode: 'invoke' },
} as const satisfies Record<DesktopRequestName, { channel: `meshdesk:${string}`; mode: 'sync' | 'invoke' }>;
