// The resolver `npm start`, `npm run dist` and the Electron e2e spec share: a binary provided through
// ELECTRON_OVERRIDE_DIST_PATH (as electron's own index.js reads it) is found even where the
// package's download never wrote path.txt, and a folder without the binary still means "none".
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { electronBinary } from './electron-binary.js';

const packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const pathFile = path.join(packageDir, 'path.txt');
/** The name inside a dist folder: path.txt's where the package wrote one, else install.js's for this platform. */
const executable = existsSync(pathFile)
  ? readFileSync(pathFile, 'utf8').trim()
  : (({ darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' } as Record<string, string>)[process.platform] ?? 'electron');

const folders: string[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function distFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-electron-dist-'));
  folders.push(folder);
  return folder;
}

describe('electronBinary', () => {
  it('finds the executable in the folder ELECTRON_OVERRIDE_DIST_PATH names', () => {
    const folder = distFolder();
    const binary = path.join(folder, executable);
    mkdirSync(path.dirname(binary), { recursive: true });
    writeFileSync(binary, '#!/bin/sh\necho stand-in for Electron\n');
    chmodSync(binary, 0o755);
    vi.stubEnv('ELECTRON_OVERRIDE_DIST_PATH', folder);
    expect(electronBinary()).toBe(binary);
  });

  it('is null when that folder holds no executable', () => {
    vi.stubEnv('ELECTRON_OVERRIDE_DIST_PATH', distFolder());
    expect(electronBinary()).toBeNull();
  });

  it('without the variable (or with it empty, as index.js ignores it), is the installed binary or null', () => {
    const installed = existsSync(pathFile) && existsSync(path.join(packageDir, 'dist', executable)) ? path.join(packageDir, 'dist', executable) : null;
    vi.stubEnv('ELECTRON_OVERRIDE_DIST_PATH', undefined);
    expect(electronBinary()).toBe(installed);
    vi.stubEnv('ELECTRON_OVERRIDE_DIST_PATH', '');
    expect(electronBinary()).toBe(installed);
  });
});
