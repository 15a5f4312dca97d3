/**
 * The tray's view as a function of state (the traffic numbers it shows: traffic-meter.test.ts).
 * Run: npx vitest run main/electron/tray-menu.test.ts
 */
import { describe, expect, it } from 'vitest';
import { formatRate, sameView, trayMenuTemplate, trayView, type TrayAction, type TrayState } from './tray-menu.js';

const base: TrayState = {
  proxy: 'on',
  proxyUrl: 'http://127.0.0.1:4140',
  requestsPerSecond: 0,
  errorsLastMinute: 0,
  canPause: true,
  problem: null,
};

const labels = (state: TrayState) => trayView(state).items.map((item) => (item.type === 'separator' ? '---' : item.label));

describe('trayView', () => {
  it('shows an idle running proxy', () => {
    const view = trayView(base);
    expect(view.icon).toBe('on');
    expect(view.title).toBe('');
    expect(view.tooltip).toBe('Meshdesk: proxy on, 0 req/s, 0 errors/min');
    expect(labels(base)).toEqual([
      'Proxy on at 127.0.0.1:4140',
      '0 req/s · 0 errors in the last minute',
      '---',
      'Open dashboard',
      'Pause proxy',
      'Copy "export http_proxy=http://127.0.0.1:4140"',
      '---',
      'Quit Meshdesk',
    ]);
  });

  it('shows traffic and errors, and switches to the error icon', () => {
    const view = trayView({ ...base, requestsPerSecond: 12.34, errorsLastMinute: 1 });
    expect(view.icon).toBe('errors');
    expect(view.title).toBe('12/s');
    expect(view.tooltip).toBe('Meshdesk: proxy on, 12 req/s, 1 error/min');
    expect(labels({ ...base, requestsPerSecond: 2.25, errorsLastMinute: 3 })[1]).toBe('2.3 req/s · 3 errors in the last minute');
  });

  it('offers resume when paused and hides the traffic line', () => {
    const paused = { ...base, proxy: 'paused' as const, requestsPerSecond: 5 };
    const view = trayView(paused);
    expect(view.icon).toBe('paused');
    expect(view.title).toBe('');
    expect(view.tooltip).toBe('Meshdesk: proxy paused');
    expect(labels(paused).slice(0, 5)).toEqual([
      'Proxy paused (127.0.0.1:4140 is closed)',
      '---',
      'Open dashboard',
      'Resume proxy',
      expect.stringContaining('Copy'),
    ]);
  });

  it('disables the toggle while switching and when the mesh cannot pause', () => {
    const toggle = (state: TrayState) => trayView(state).items.find((item) => item.type === 'action' && item.action === 'toggle-proxy');
    expect(toggle({ ...base, proxy: 'switching' })).toMatchObject({ enabled: false });
    expect(toggle({ ...base, canPause: false })).toMatchObject({ enabled: false, label: 'Pause proxy (not supported by this mesh)' });
  });

  it('shows the last problem', () => {
    expect(labels({ ...base, proxy: 'paused', problem: 'Cannot resume: port 4140 is in use by nc (pid 42)' })[1]).toBe(
      'Cannot resume: port 4140 is in use by nc (pid 42)',
    );
  });

  it('tells equal views apart from changed ones', () => {
    expect(sameView(null, trayView(base))).toBe(false);
    expect(sameView(trayView(base), trayView({ ...base }))).toBe(true);
    expect(sameView(trayView(base), trayView({ ...base, errorsLastMinute: 1 }))).toBe(false);
  });

  it('formats rates compactly', () => {
    expect([0, 0.1, 9.95, 10, 123.6].map(formatRate)).toEqual(['0', '0.1', '9.9', '10', '124']);
  });
});

describe('trayMenuTemplate', () => {
  it('maps status lines to disabled items and actions to clicks', () => {
    const clicked: TrayAction[] = [];
    const template = trayMenuTemplate(trayView(base), (action) => clicked.push(action));
    expect(template[0]).toEqual({ label: 'Proxy on at 127.0.0.1:4140', enabled: false });
    expect(template[2]).toEqual({ type: 'separator' });
    for (const item of template) (item.click as (() => void) | undefined)?.();
    expect(clicked).toEqual(['open-dashboard', 'toggle-proxy', 'copy-export-line', 'quit']);
  });
});
