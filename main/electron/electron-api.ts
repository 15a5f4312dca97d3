/**
 * The parts of Electron the shell uses, passed in rather than imported, so that the whole shell
 * (desktop-app.ts and what it builds) can run in a unit test with plain objects standing in for
 * Electron where its binary cannot exist. Only main.ts and desktop-store.ts import `electron` at
 * run time; everything else imports its types.
 */
type ElectronModule = typeof import('electron');

export type ElectronApi = Pick<
  ElectronModule,
  'app' | 'BrowserWindow' | 'Menu' | 'Tray' | 'nativeImage' | 'screen' | 'session' | 'ipcMain' | 'dialog' | 'clipboard' | 'shell'
>;
