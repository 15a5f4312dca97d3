#!/usr/bin/env node
// `npm run dist`: the installers of electron-builder.yml (Linux AppImage + deb, macOS dmg, Windows
// nsis). It needs the Electron binary (node_modules/electron/dist, downloaded by electron's
// postinstall) and, for most targets, tools electron-builder downloads itself (appimagetool, fpm,
// NSIS): so it needs the internet once. Without the binary it says so and stops with an error:
// an installer without Electron inside would be worse than none. Extra arguments go to
// electron-builder (`npm run dist -- --linux deb`); with none it builds for this platform from the
// installed binary.
//
// `npm run dist -- --check` works anywhere: it packages the app (no installer) around a stand-in
// Electron into a temporary folder and checks what the app archive holds, so the `files` globs
// and the asar layout are verified on machines that cannot run Electron.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listPackage } from '@electron/asar';
import { electronBinary, NO_ELECTRON_REASON } from './electron-binary.js';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;

/** What the packaged app must hold, and what it must not. */
const REQUIRED = [
  '/package.json',
  '/dist/main/electron/main.js',
  '/dist/main/electron/preload.cjs',
  '/dist/renderer/index.html',
  '/resources/build/tray/tray-on.png',
  '/resources/build/tray/trayTemplate.png',
  '/node_modules/electron-store/package.json',
];
const FORBIDDEN = [/^\/node_modules\/node\//, /^\/node_modules\/electron\//, /^\/dist\/.*\.map$/, /^\/dist\/.*\.test\.js$/, /^\/main\//, /^\/renderer\//];

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const binary = electronBinary();
if (!check && !binary) {
  console.error(`electron-dist: ${NO_ELECTRON_REASON}; installers need it. Run \`npm run dist -- --check\` to verify the packaging here.`);
  process.exit(1);
}

run('npm', ['run', 'build']);
run(process.execPath, [path.join(root, 'scripts', 'electron-icons.js'), '--check']);
const builder = path.join(root, 'node_modules', 'electron-builder', 'cli.js');

if (!check) {
  const hostOnly = !args.some((arg) => /^--(linux|mac|macos|win|windows)\b|^-[lmw]$/.test(arg));
  const fromInstalled = hostOnly ? [`-c.electronDist=${path.dirname(binary)}`, `-c.electronVersion=${electronVersion}`] : [];
  run(process.execPath, [builder, '--config', 'electron-builder.yml', ...fromInstalled, ...args]);
  process.exit(0);
}

const work = mkdtempSync(path.join(tmpdir(), 'meshdesk-dist-check-'));
try {
  const fakeDist = path.join(work, 'electron');
  mkdirSync(path.join(fakeDist, 'resources'), { recursive: true });
  writeFileSync(path.join(fakeDist, 'electron'), '#!/bin/sh\necho "stand-in for Electron"\n');
  chmodSync(path.join(fakeDist, 'electron'), 0o755);
  writeFileSync(path.join(fakeDist, 'version'), electronVersion);
  const out = path.join(work, 'out');
  run(process.execPath, [
    builder,
    '--config',
    'electron-builder.yml',
    '--linux',
    'dir',
    '--x64',
    `-c.electronDist=${fakeDist}`,
    `-c.electronVersion=${electronVersion}`,
    `-c.directories.output=${out}`,
  ]);
  const entries = listPackage(path.join(out, 'linux-unpacked', 'resources', 'app.asar'), { isPack: false });
  const missing = REQUIRED.filter((entry) => !entries.includes(entry));
  const unwanted = entries.filter((entry) => FORBIDDEN.some((pattern) => pattern.test(entry)));
  if (missing.length > 0 || unwanted.length > 0) {
    console.error(`electron-dist --check: missing ${missing.join(', ') || 'nothing'}; must not ship ${unwanted.slice(0, 10).join(', ') || 'nothing'}`);
    process.exit(1);
  }
  console.log(`electron-dist --check: the app archive holds ${entries.length} entries, all required ones and none it must not`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
