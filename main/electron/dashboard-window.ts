/**
 * The one dashboard window: created on demand (at start, from the tray, from a second launch),
 * focused when it already exists, and simply destroyed when closed, since the mesh lives in the
 * main process and keeps running without it. Placement is restored from the state file and
 * checked against the current displays (window-state.ts); the window is shown only once it has
 * painted, so the user never sees a blank white frame.
 */
import type { BrowserWindow } from 'electron';
import type { StateStore } from '../mesh/index.js';
import { windowIconFile } from './app-icons.js';
import type { ElectronApi } from './electron-api.js';
import { dashboardWebPreferences } from './security.js';
import { MIN_SIZE, placeWindow, trackWindowState, type WindowState } from './window-state.js';

export interface DashboardWindowOptions {
  store: StateStore<{ window: WindowState }>;
  /** The bundled preload (preload.cjs). */
  preload: string;
  /** The URL to load in a new window: the one-time login URL first, the dashboard after. */
  url: () => string;
}

export class DashboardWindow {
  private window: BrowserWindow | null = null;

  constructor(
    private readonly electron: Pick<ElectronApi, 'BrowserWindow' | 'screen'>,
    private readonly options: DashboardWindowOptions,
  ) {}

  /** True for the webContents of the live dashboard window: the IPC sender check. */
  ownsWebContents(id: number): boolean {
    const window = this.window;
    return window !== null && !window.isDestroyed() && window.webContents.id === id;
  }

  show(): void {
    const existing = this.window;
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return;
    }
    this.window = this.create();
  }

  private create(): BrowserWindow {
    const { screen } = this.electron;
    const displays = screen.getAllDisplays().map((display) => display.workArea);
    const placed = placeWindow(this.options.store.get('window'), displays, screen.getPrimaryDisplay().workArea);
    const window = new this.electron.BrowserWindow({
      ...placed.bounds,
      minWidth: MIN_SIZE.width,
      minHeight: MIN_SIZE.height,
      show: false,
      title: 'Meshdesk',
      icon: windowIconFile(),
      backgroundColor: '#0f172a',
      webPreferences: dashboardWebPreferences(this.options.preload),
    });
    if (placed.maximized) window.maximize();
    trackWindowState(window, this.options.store);
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    window.loadURL(this.options.url()).catch((error: unknown) => {
      // The window stays open on Chromium's error page; the tray and a reload still work.
      console.error('meshdesk: the dashboard did not load:', error);
    });
    return window;
  }
}
