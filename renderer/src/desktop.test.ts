/**
 * The renderer's adapter to the desktop bridge: in the app (bridge present) the export line is
 * copied by main; in a plain browser (no `window.meshdesk`) by the page's clipboard, so the headless
 * dashboard's Copy button works without the bridge.
 * Run: npx vitest run renderer/src/desktop.test.ts
 */
import { describe, expect, it } from 'vitest';
import { DESKTOP_BRIDGE_GLOBAL, type DesktopBridge } from '../../shared/desktop-bridge.js';
import { copyExportLine, desktopBridge } from './desktop.js';

const LINE = 'export http_proxy=http://127.0.0.1:4140';

function fakeBridge() {
  const calls: string[] = [];
  const bridge: DesktopBridge = {
    adminUrl: 'http://127.0.0.1:9990',
    copyExportLine: async () => void calls.push('copyExportLine'),
    openExternal: async (url) => void calls.push(`openExternal ${url}`),
  };
  return { bridge, calls };
}

function fakeClipboard() {
  const written: string[] = [];
  return { clipboard: { writeText: async (text: string) => void written.push(text) }, written };
}

describe('desktopBridge', () => {
  it('is the global the preload defines, when there is one', () => {
    const { bridge } = fakeBridge();
    expect(desktopBridge({ [DESKTOP_BRIDGE_GLOBAL]: bridge })).toBe(bridge);
  });

  it('is null in a plain browser', () => {
    expect(desktopBridge({})).toBeNull();
  });
});

describe('copyExportLine', () => {
  it('asks main to copy in the desktop app, and leaves the page clipboard alone', async () => {
    const { bridge, calls } = fakeBridge();
    const { clipboard, written } = fakeClipboard();
    await copyExportLine(LINE, { bridge, clipboard });
    expect(calls).toEqual(['copyExportLine']);
    expect(written).toEqual([]);
  });

  it('writes the line to the clipboard in a plain browser', async () => {
    const { clipboard, written } = fakeClipboard();
    await copyExportLine(LINE, { bridge: null, clipboard });
    expect(written).toEqual([LINE]);
  });

  it('fails as the copy fails, so the button can say so', async () => {
    const { bridge } = fakeBridge();
    const refused = { ...bridge, copyExportLine: () => Promise.reject(new Error('IPC refused')) };
    const { clipboard } = fakeClipboard();
    await expect(copyExportLine(LINE, { bridge: refused, clipboard })).rejects.toThrow('IPC refused');
  });
});
