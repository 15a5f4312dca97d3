/**
 * The application menu: Electron's standard roles only, so every platform gets the menus, labels
 * and shortcuts its users expect (copy/paste in the dashboard's fields, zoom, reload, full screen)
 * and no custom item can drift from what it says. Quit (a role) quits the app and so stops the
 * mesh; closing the window does not.
 */
import type { MenuItemConstructorOptions } from 'electron';

export function appMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
}
