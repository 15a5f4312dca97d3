/**
 * The dashboard window's size and position: restored at start, saved as the user moves it.
 * Persistence boundary: the saved bounds come from disk and describe a screen layout that may no
 * longer exist (a monitor unplugged, a laptop undocked, a resolution changed), so they are checked
 * against the current displays' work areas before use; a window that would open off-screen or
 * larger than its display is pulled back or reset. The normal (unmaximized) bounds are saved, so
 * unmaximizing after a restart returns to the size the user chose. Saves are debounced while the
 * user drags and flushed when the window closes.
 */
import type { StateStore } from '../mesh/index.js';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Null until the window has been placed once. */
  bounds: Bounds | null;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { bounds: null, maximized: false };
export const DEFAULT_SIZE = { width: 1280, height: 800 };
export const MIN_SIZE = { width: 640, height: 400 };
/** At least this much of a saved window must be on a display for its position to be kept. */
const MIN_VISIBLE = { width: 120, height: 60 };

function overlap(a: Bounds, b: Bounds): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

function centered(size: { width: number; height: number }, area: Bounds): Bounds {
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  return {
    x: area.x + Math.round((area.width - width) / 2),
    y: area.y + Math.round((area.height - height) / 2),
    width,
    height,
  };
}

/**
 * Where to open the window: the saved bounds, fitted inside the display that shows most of them;
 * the default size centred on the primary display when nothing was saved or the saved place is
 * (almost) off every display.
 */
export function placeWindow(saved: WindowState, workAreas: readonly Bounds[], primary: Bounds): WindowState {
  const stored = saved.bounds;
  if (!stored || ![stored.x, stored.y, stored.width, stored.height].every(Number.isFinite)) {
    return { bounds: centered(DEFAULT_SIZE, primary), maximized: saved.maximized };
  }
  const bounds = { ...stored, width: Math.max(stored.width, MIN_SIZE.width), height: Math.max(stored.height, MIN_SIZE.height) };
  let best: { area: Bounds; visible: number } | null = null;
  for (const area of workAreas) {
    const shared = overlap(bounds, area);
    if (shared.width < MIN_VISIBLE.width || shared.height < MIN_VISIBLE.height) continue;
    const visible = shared.width * shared.height;
    if (!best || visible > best.visible) best = { area, visible };
  }
  if (!best) return { bounds: centered({ width: bounds.width, height: bounds.height }, primary), maximized: saved.maximized };
  const area = best.area;
  const width = Math.min(Math.round(bounds.width), area.width);
  const height = Math.min(Math.round(bounds.height), area.height);
  return {
    bounds: {
      x: clamp(Math.round(bounds.x), area.x, area.x + area.width - width),
      y: clamp(Math.round(bounds.y), area.y, area.y + area.height - height),
      width,
      height,
    },
    maximized: saved.maximized,
  };
}

/** The parts of Electron's BrowserWindow the tracker uses. */
export interface TrackedWindow {
  getNormalBounds(): Bounds;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Saves the window's state on every change (debounced) and on close; returns a flush function. */
export function trackWindowState(
  window: TrackedWindow,
  store: StateStore<{ window: WindowState }>,
  options: { debounceMs?: number; timers?: Timers } = {},
): () => void {
  const timers = options.timers ?? realTimers;
  const debounceMs = options.debounceMs ?? 500;
  let pending: unknown = null;
  const save = () => {
    if (pending !== null) timers.clearTimeout(pending);
    pending = null;
    // A debounced save can come due after the window is gone; its last state was saved on close.
    if (window.isDestroyed()) return;
    store.set('window', { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  };
  const schedule = () => {
    if (pending !== null) timers.clearTimeout(pending);
    pending = timers.setTimeout(save, debounceMs);
  };
  for (const event of ['resize', 'move'] as const) window.on(event, schedule);
  // Maximize state changes are rare and the user expects them kept even if the app dies next.
  for (const event of ['maximize', 'unmaximize', 'close'] as const) window.on(event, save);
  return save;
}
