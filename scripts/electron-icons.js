#!/usr/bin/env node
// `npm run icons`: every icon the desktop app and its installers use, rendered from the one
// source, resources/icon.svg, into resources/build/ (electron-builder's buildResources folder):
//
//   icon.png            1024 px: electron-builder makes the macOS .icns and the Windows .ico from it
//   icons/NxN.png       the Linux sizes (AppImage, deb, the window icon)
//   tray/tray-*.png     the tray per state (on, paused, errors) for Linux and Windows, with @2x
//   tray/trayTemplate   the macOS menu-bar template: the glyph alone in black, tinted by the system
//
// The tray variants swap the SVG's two colour literals. The output is committed; `--check` fails
// when it is not what the SVG renders to now (rendering is deterministic).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Resvg } from '@resvg/resvg-js';

const root = path.resolve(import.meta.dirname, '..');
const source = path.join(root, 'resources', 'icon.svg');
const out = path.join(root, 'resources', 'build');
const BACKGROUND = '#2563eb';
const GLYPH = '#ffffff';
const TRAY_COLOURS = { on: BACKGROUND, paused: '#6b7280', errors: '#dc2626' };
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const svg = readFileSync(source, 'utf8');
for (const literal of [BACKGROUND, GLYPH]) {
  if (!svg.includes(literal)) throw new Error(`${source} must keep the colour ${literal}; the tray variants replace it`);
}

function render(text, size) {
  return new Resvg(text, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render().asPng();
}

function recoloured(background) {
  return svg.replaceAll(BACKGROUND, background);
}

const template = svg.replace(/<rect id="background"[^>]*\/>/, '').replaceAll(GLYPH, '#000000');

const files = new Map([[path.join(out, 'icon.png'), render(svg, 1024)]]);
for (const size of LINUX_SIZES) files.set(path.join(out, 'icons', `${size}x${size}.png`), render(svg, size));
for (const [state, colour] of Object.entries(TRAY_COLOURS)) {
  files.set(path.join(out, 'tray', `tray-${state}.png`), render(recoloured(colour), 32));
  files.set(path.join(out, 'tray', `tray-${state}@2x.png`), render(recoloured(colour), 64));
}
files.set(path.join(out, 'tray', 'trayTemplate.png'), render(template, 18));
files.set(path.join(out, 'tray', 'trayTemplate@2x.png'), render(template, 36));

const stale = [];
for (const [file, png] of files) {
  const current = existsSync(file) ? readFileSync(file) : null;
  if (current && Buffer.compare(current, png) === 0) continue;
  stale.push(path.relative(root, file));
  if (!values.check) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, png);
  }
}
if (values.check && stale.length > 0) {
  console.error(`electron-icons: out of date, run \`npm run icons\`: ${stale.join(', ')}`);
  process.exit(1);
}
console.log(`electron-icons: ${files.size} icons, ${values.check ? 'all up to date' : `${stale.length} written`}`);
