/**
 * The tray icon: refreshed from the shell's state once a second, but the native menu, tooltip and
 * image are touched only when the view (tray-menu.ts, a pure function) changed, which for an idle
 * mesh is never. Clicking the icon opens the dashboard where the platform reports clicks (Windows,
 * macOS); on Linux the menu's first action does the same.
 */
import type { NativeImage } from 'electron';
import { trayIconFile } from './app-icons.js';
import type { ElectronApi } from './electron-api.js';
import { sameView, trayMenuTemplate, trayView, type TrayAction, type TrayState, type TrayView } from './tray-menu.js';

export interface StatusTrayOptions {
  state: () => TrayState;
  run: (action: TrayAction) => void;
  platform: NodeJS.Platform;
  refreshMs?: number;
}

export interface StatusTray {
  refresh(): void;
  destroy(): void;
}

export function createStatusTray(electron: Pick<ElectronApi, 'Tray' | 'Menu' | 'nativeImage'>, options: StatusTrayOptions): StatusTray {
  const { Menu, Tray, nativeImage } = electron;
  const images = new Map<TrayView['icon'], NativeImage>();
  const image = (variant: TrayView['icon']) => {
    let loaded = images.get(variant);
    if (!loaded) {
      loaded = nativeImage.createFromPath(trayIconFile(variant, options.platform));
      if (options.platform === 'darwin') loaded.setTemplateImage(true);
      images.set(variant, loaded);
    }
    return loaded;
  };
  const first = trayView(options.state());
  const tray = new Tray(image(first.icon));
  let shown: TrayView | null = null;
  const refresh = () => {
    const view = trayView(options.state());
    if (sameView(shown, view)) return;
    if (shown?.icon !== view.icon) tray.setImage(image(view.icon));
    tray.setToolTip(view.tooltip);
    if (options.platform === 'darwin') tray.setTitle(view.title);
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(view, options.run)));
    shown = view;
  };
  tray.on('click', () => options.run('open-dashboard'));
  refresh();
  const timer = setInterval(refresh, options.refreshMs ?? 1_000);
  return {
    refresh,
    destroy: () => {
      clearInterval(timer);
      tray.destroy();
    },
  };
}
