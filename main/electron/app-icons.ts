/**
 * Where the generated icons are at run time (`npm run icons` makes them from resources/icon.svg;
 * electron-builder.yml ships them). macOS gets a template image for the menu bar, which the system
 * tints for light and dark bars; the other platforms get a coloured icon per tray state.
 */
import path from 'node:path';
import { packageRoot } from '../package-root.js';
import type { TrayView } from './tray-menu.js';

function buildResources(): string {
  return path.join(packageRoot(), 'resources', 'build');
}

export function trayIconFile(variant: TrayView['icon'], platform: NodeJS.Platform): string {
  return path.join(buildResources(), 'tray', platform === 'darwin' ? 'trayTemplate.png' : `tray-${variant}.png`);
}

export function windowIconFile(): string {
  return path.join(buildResources(), 'icons', '256x256.png');
}
