/**
 * The renderer's one reader of the desktop bridge (`window.meshdesk`, which the Electron preload
 * defines). Components call the actions here and never look for the bridge themselves: in the
 * desktop app an action goes to the main process, which can do what a page cannot or should not; in
 * a plain browser (`meshdesk serve`, the headless dashboard) the bridge is absent and the same action
 * falls back to the web platform, so every component works the same in both.
 */
import { DESKTOP_BRIDGE_GLOBAL, type DesktopBridge, type DesktopWindow } from '../../shared/desktop-bridge.js';

/** What the actions need from their surroundings; tests pass their own. */
export interface DesktopSurroundings {
  bridge: DesktopBridge | null;
  clipboard: Pick<Clipboard, 'writeText'>;
}

/** The bridge when this page runs in the desktop app's window, otherwise null. */
export function desktopBridge(scope: object = window): DesktopBridge | null {
  return (scope as DesktopWindow)[DESKTOP_BRIDGE_GLOBAL] ?? null;
}

function surroundings(): DesktopSurroundings {
  return { bridge: desktopBridge(), clipboard: navigator.clipboard };
}

/**
 * Puts `line` (the shell's `export http_proxy=…`) on the clipboard. In the app, main writes it, the
 * same way as the tray's "Copy export line", for the proxy it runs.
 */
export function copyExportLine(line: string, env: DesktopSurroundings = surroundings()): Promise<void> {
  return env.bridge ? env.bridge.copyExportLine() : env.clipboard.writeText(line);
}
