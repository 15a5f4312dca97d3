/**
 * Window placement against the current displays, and saving the window's state as it changes.
 * The window is a plain event emitter standing in for a BrowserWindow (which needs the Electron
 * binary); the state goes through the real desktop state file (`conf`, as electron-store uses it).
 * Run: npx vitest run main/electron/window-state.test.ts
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { desktopStoreOptions, type DesktopState } from './desktop-state.js';
import { KeyValueStateStore } from './state-file.js';
import { DEFAULT_SIZE, placeWindow, trackWindowState, type Bounds, type Timers } from './window-state.js';

const laptop: Bounds = { x: 0, y: 0, width: 1440, height: 875 };
const monitorRight: Bounds = { x: 1440, y: -200, width: 2560, height: 1415 };

describe('placeWindow', () => {
  it('centres the default size on the primary display the first time', () => {
    expect(placeWindow({ bounds: null, maximized: false }, [laptop], laptop)).toEqual({
      bounds: { x: 80, y: 38, width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height },
      maximized: false,
    });
  });

  it('keeps a saved place that is fully on a display', () => {
    const saved = { bounds: { x: 1600, y: 0, width: 1800, height: 1000 }, maximized: true };
    expect(placeWindow(saved, [laptop, monitorRight], laptop)).toEqual(saved);
  });

  it('recentres a window whose monitor is gone', () => {
    const saved = { bounds: { x: 1600, y: 0, width: 1000, height: 700 }, maximized: false };
    expect(placeWindow(saved, [laptop], laptop).bounds).toEqual({ x: 220, y: 88, width: 1000, height: 700 });
  });

  it('pulls a window that hangs off the edge back inside the display that shows most of it', () => {
    const saved = { bounds: { x: 1000, y: 600, width: 1000, height: 700 }, maximized: false };
    expect(placeWindow(saved, [laptop], laptop).bounds).toEqual({ x: 440, y: 175, width: 1000, height: 700 });
  });

  it('recentres a window of which only a sliver would show', () => {
    const saved = { bounds: { x: 1400, y: 100, width: 800, height: 600 }, maximized: false };
    expect(placeWindow(saved, [laptop], laptop).bounds).toEqual({ x: 320, y: 138, width: 800, height: 600 });
  });

  it('shrinks a window larger than the display it is on (resolution lowered)', () => {
    const saved = { bounds: { x: 0, y: 0, width: 2500, height: 1400 }, maximized: false };
    expect(placeWindow(saved, [laptop], laptop).bounds).toEqual(laptop);
  });

  it('gives a tiny saved window a usable size', () => {
    const saved = { bounds: { x: 100, y: 100, width: 50, height: 40 }, maximized: false };
    expect(placeWindow(saved, [laptop], laptop).bounds).toEqual({ x: 100, y: 100, width: 640, height: 400 });
  });

  it('handles displays at negative coordinates', () => {
    const left: Bounds = { x: -1920, y: 0, width: 1920, height: 1050 };
    const saved = { bounds: { x: -1800, y: 50, width: 1200, height: 900 }, maximized: false };
    expect(placeWindow(saved, [laptop, left], laptop).bounds).toEqual(saved.bounds);
  });
});

class FakeWindow extends EventEmitter {
  bounds: Bounds = { x: 10, y: 10, width: 1000, height: 700 };
  maximized = false;
  getNormalBounds = () => ({ ...this.bounds });
  isMaximized = () => this.maximized;
  destroyed = false;
  isDestroyed = () => this.destroyed;
}

/** Timers the test fires by hand, so the debounce is checked without sleeping. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timers: Timers = {
    setTimeout: (callback) => {
      pending.set(++next, callback);
      return next;
    },
    clearTimeout: (handle) => pending.delete(handle as number),
  };
  const fireAll = () => {
    const callbacks = [...pending.values()];
    pending.clear();
    for (const callback of callbacks) callback();
  };
  return { timers, fireAll, count: () => pending.size };
}

describe('trackWindowState', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'meshdesk-window-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const openStore = () => new KeyValueStateStore<DesktopState>(new Conf<DesktopState>({ ...desktopStoreOptions('0.1.0'), cwd: dir, configName: 'desktop' }));

  it('saves once after a burst of moves, and the saved place survives a restart', () => {
    const store = openStore();
    const window = new FakeWindow();
    const { timers, fireAll, count } = manualTimers();
    trackWindowState(window, store, { timers });
    for (let x = 10; x <= 200; x += 10) {
      window.bounds = { ...window.bounds, x };
      window.emit('move');
    }
    expect(count()).toBe(1);
    expect(store.get('window').bounds).toBeNull();
    fireAll();
    expect(openStore().get('window')).toEqual({ bounds: { x: 200, y: 10, width: 1000, height: 700 }, maximized: false });
  });

  it('saves at once on maximize and on close, keeping the normal bounds under a maximized window', () => {
    const store = openStore();
    const window = new FakeWindow();
    const { timers, count } = manualTimers();
    trackWindowState(window, store, { timers });
    window.maximized = true;
    window.emit('maximize');
    expect(openStore().get('window')).toEqual({ bounds: { x: 10, y: 10, width: 1000, height: 700 }, maximized: true });
    window.bounds = { x: 30, y: 40, width: 900, height: 650 };
    window.emit('resize');
    window.emit('close');
    expect(count()).toBe(0);
    expect(openStore().get('window').bounds).toEqual({ x: 30, y: 40, width: 900, height: 650 });
  });

  it('drops a debounced save that comes due after the window was destroyed', () => {
    const store = openStore();
    const window = new FakeWindow();
    const { timers, fireAll } = manualTimers();
    trackWindowState(window, store, { timers });
    window.emit('move');
    window.destroyed = true;
    window.getNormalBounds = () => {
      throw new Error('Object has been destroyed');
    };
    expect(() => fireAll()).not.toThrow();
    expect(store.get('window').bounds).toBeNull();
  });
});
