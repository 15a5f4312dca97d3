/**
 * What the tray shows, as a pure function of the shell's state: the icon variant, the tooltip,
 * the macOS title and the menu. Keeping it pure makes every label testable without a tray, and
 * lets the shell rebuild the native menu only when the view actually changed (rebuilding a menu
 * every second makes it flicker or close under the user's pointer on some Linux desktops).
 */
import type { MenuItemConstructorOptions } from 'electron';
import { exportLine } from '../../shared/export-line.js';
import type { TrafficNumbers } from './traffic-meter.js';

export type ProxyStatus = 'on' | 'paused' | 'switching';

export interface TrayState extends TrafficNumbers {
  proxy: ProxyStatus;
  /** Where the proxy listens, e.g. `http://127.0.0.1:4140`. */
  proxyUrl: string;
  /** False when this mesh cannot pause its proxy. */
  canPause: boolean;
  /** The last pause/resume failure, shown until the next success. */
  problem: string | null;
}

export type TrayAction = 'open-dashboard' | 'toggle-proxy' | 'copy-export-line' | 'quit';

export type TrayItem = { type: 'status'; label: string } | { type: 'separator' } | { type: 'action'; action: TrayAction; label: string; enabled: boolean };

export interface TrayView {
  icon: 'on' | 'paused' | 'errors';
  tooltip: string;
  /** Text beside the icon in the macOS menu bar; empty elsewhere or when idle. */
  title: string;
  items: TrayItem[];
}

export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0';
  return perSecond < 10 ? perSecond.toFixed(1) : String(Math.round(perSecond));
}

function errorsLabel(count: number): string {
  return count === 1 ? '1 error' : `${count} errors`;
}

export function trayView(state: TrayState): TrayView {
  const address = state.proxyUrl.replace(/^http:\/\//, '');
  const proxyLine = state.proxy === 'on' ? `Proxy on at ${address}` : state.proxy === 'paused' ? `Proxy paused (${address} is closed)` : 'Proxy switching…';
  const trafficLine = `${formatRate(state.requestsPerSecond)} req/s · ${errorsLabel(state.errorsLastMinute)} in the last minute`;
  const summary =
    state.proxy === 'on' ? `proxy on, ${formatRate(state.requestsPerSecond)} req/s, ${errorsLabel(state.errorsLastMinute)}/min` : `proxy ${state.proxy}`;
  const items: TrayItem[] = [{ type: 'status', label: proxyLine }];
  if (state.proxy === 'on') items.push({ type: 'status', label: trafficLine });
  if (state.problem) items.push({ type: 'status', label: state.problem });
  items.push(
    { type: 'separator' },
    { type: 'action', action: 'open-dashboard', label: 'Open dashboard', enabled: true },
    {
      type: 'action',
      action: 'toggle-proxy',
      label: !state.canPause ? 'Pause proxy (not supported by this mesh)' : state.proxy === 'paused' ? 'Resume proxy' : 'Pause proxy',
      enabled: state.canPause && state.proxy !== 'switching',
    },
    { type: 'action', action: 'copy-export-line', label: `Copy "${exportLine(state.proxyUrl)}"`, enabled: true },
    { type: 'separator' },
    { type: 'action', action: 'quit', label: 'Quit Meshdesk', enabled: true },
  );
  return {
    icon: state.proxy !== 'on' ? 'paused' : state.errorsLastMinute > 0 ? 'errors' : 'on',
    tooltip: `Meshdesk: ${summary}`,
    title: state.proxy === 'on' && state.requestsPerSecond > 0 ? `${formatRate(state.requestsPerSecond)}/s` : '',
    items,
  };
}

export function sameView(a: TrayView | null, b: TrayView): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

/** The native menu's template; `run` is called with the action of the clicked item. */
export function trayMenuTemplate(view: TrayView, run: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return view.items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    if (item.type === 'status') return { label: item.label, enabled: false };
    return { label: item.label, enabled: item.enabled, click: () => run(item.action) };
  });
}
