/**
 * Plain objects standing in for the Electron modules the shell uses (ElectronApi), for tests on
 * machines where Electron's binary cannot exist. They record what the shell asks of Electron, and
 * let a test act as the user and the OS: close a window, click a tray item, launch a second
 * instance, quit. Each call makes a fresh set: nothing is shared between tests.
 */
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ElectronApi } from '../electron-api.js';
import type { IpcSyncEvent } from '../ipc.js';

export interface MenuItem {
  label?: string;
  role?: string;
  click?: () => void;
}

export function fakeElectron(options: { singleInstance?: boolean; dialogAnswer?: number } = {}) {
  const app = new (class extends EventEmitter {
    paths = new Map<string, string>();
    sandboxed = false;
    exitCode: number | null = null;
    quitRequests = 0;
    setPath = (name: string, value: string) => void this.paths.set(name, value);
    getPath = (name: string) => this.paths.get(name) ?? path.join(tmpdir(), 'never-used');
    requestSingleInstanceLock = () => options.singleInstance ?? true;
    enableSandbox = () => void (this.sandboxed = true);
    whenReady = () => Promise.resolve();
    exit = (code: number) => void (this.exitCode = code);
    quit = () => {
      this.quitRequests++;
      let prevented = false;
      this.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) this.emit('quit');
    };
  })();
  let nextId = 1;
  const windows: FakeWindow[] = [];
  class FakeContents extends EventEmitter {
    readonly id = nextId++;
    openHandler: ((details: { url: string }) => unknown) | null = null;
    setWindowOpenHandler = (handler: (details: { url: string }) => unknown) => void (this.openHandler = handler);
  }
  class FakeWindow extends EventEmitter {
    readonly webContents = new FakeContents();
    readonly loaded: string[] = [];
    shown = 0;
    destroyed = false;
    constructor(readonly options: { x: number; y: number; width: number; height: number; webPreferences: Record<string, unknown> }) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL = (url: string) => {
      this.loaded.push(url);
      setImmediate(() => this.emit('ready-to-show'));
      return Promise.resolve();
    };
    getNormalBounds = () => ({ x: this.options.x, y: this.options.y, width: this.options.width, height: this.options.height });
    isMaximized = () => false;
    isMinimized = () => false;
    isDestroyed = () => this.destroyed;
    maximize = () => undefined;
    restore = () => undefined;
    show = () => void this.shown++;
    focus = () => undefined;
    close = () => {
      this.emit('close');
      this.destroyed = true;
      this.emit('closed');
    };
  }
  const trays: { menu: MenuItem[]; tooltip: string; destroyed: boolean }[] = [];
  const ipc = { handlers: new Map<string, (...args: unknown[]) => unknown>(), listeners: new Map<string, (event: IpcSyncEvent) => void>() };
  const recorded = {
    prompts: [] as { message: string; buttons: string[] }[],
    copied: [] as string[],
    appMenu: [] as MenuItem[],
    cspFilter: [] as string[],
  };
  const workArea = { x: 0, y: 0, width: 1920, height: 1080 };
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    screen: { getAllDisplays: () => [{ workArea }], getPrimaryDisplay: () => ({ workArea }) },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (filter: { urls: string[] }) => void recorded.cspFilter.push(...filter.urls) },
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
      },
    },
    ipcMain: {
      handle: (channel: string, handler: (...args: unknown[]) => unknown) => void ipc.handlers.set(channel, handler),
      on: (channel: string, listener: (event: IpcSyncEvent) => void) => void ipc.listeners.set(channel, listener),
      removeHandler: () => undefined,
      removeListener: () => undefined,
    },
    dialog: {
      showMessageBox: async (prompt: { message: string; buttons: string[] }) => {
        recorded.prompts.push(prompt);
        return { response: options.dialogAnswer ?? 0 };
      },
      showErrorBox: (title: string, content: string) => {
        throw new Error(`unexpected error box: ${title}: ${content}`);
      },
    },
    clipboard: { writeText: (text: string) => void recorded.copied.push(text) },
    shell: { openExternal: async () => undefined },
    Menu: {
      buildFromTemplate: (template: MenuItem[]) => template,
      setApplicationMenu: (menu: MenuItem[]) => void (recorded.appMenu = menu),
    },
    nativeImage: { createFromPath: (file: string) => ({ file, setTemplateImage: () => undefined }) },
    Tray: class {
      readonly state = { menu: [] as MenuItem[], tooltip: '', destroyed: false };
      constructor() {
        trays.push(this.state);
      }
      setImage = () => undefined;
      setTitle = () => undefined;
      setToolTip = (tooltip: string) => void (this.state.tooltip = tooltip);
      setContextMenu = (menu: MenuItem[]) => void (this.state.menu = menu);
      on = () => undefined;
      destroy = () => void (this.state.destroyed = true);
    },
  };
  return { electron: electron as unknown as ElectronApi, app, windows, trays, ipc, recorded };
}

export type FakeElectron = ReturnType<typeof fakeElectron>;

/** Clicks the menu item with this label, as the user would. */
export function click(menu: MenuItem[], label: string | RegExp): void {
  const item = menu.find((entry) => (typeof label === 'string' ? entry.label === label : label.test(entry.label ?? '')));
  if (!item?.click) throw new Error(`no menu item ${String(label)} in ${menu.map((entry) => entry.label).join(' | ')}`);
  item.click();
}
