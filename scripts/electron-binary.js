// Where the Electron binary is, or null when it is not installed. Never downloads: requiring the
// `electron` package itself would try to (and hang or fail on a machine without internet), so this
// reads the same files its index.js reads, without the download fallback. Shared by `npm start`,
// `npm run dist` and the Electron e2e spec, so all three agree on whether Electron can run here.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * As electron's index.js: ELECTRON_OVERRIDE_DIST_PATH, when set, names the folder holding a binary
 * provided some other way, and the executable's name in it comes from path.txt when the package
 * wrote one. Without path.txt (its postinstall download failed) index.js falls back to `electron`,
 * right on Linux only; this takes the name electron's install.js would have written for this
 * platform. Without the variable, the binary is node_modules/electron/dist/<path.txt>.
 * @returns {string | null}
 */
export function electronBinary() {
  const packageDir = electronPackageDir();
  const pathFile = packageDir && path.join(packageDir, 'path.txt');
  const executable = pathFile && existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let binary = null;
  if (override) binary = path.join(override, executable || platformExecutable());
  else if (packageDir && executable) binary = path.join(packageDir, 'dist', executable);
  return binary && existsSync(binary) ? binary : null;
}

function electronPackageDir() {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The executable's path inside an Electron dist folder, as electron's install.js names it. */
function platformExecutable() {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return process.platform === 'win32' ? 'electron.exe' : 'electron';
}

/** Why Electron cannot run here, for one-line messages and skip reasons. */
export const NO_ELECTRON_REASON =
  'no Electron binary in node_modules/electron (its postinstall download cannot reach the internet here) nor in ELECTRON_OVERRIDE_DIST_PATH';
