// Where the Electron binary is, or null when it is not installed. Never downloads: requiring the
// `electron` package itself would try to (and hang or fail on a machine without internet), so this
// reads the same files its index.js reads, without the download fallback. Shared by `npm start`,
// `npm run dist` and the Electron e2e spec, so all three agree on whether Electron can run here.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** @returns {string | null} */
export function electronBinary() {
  try {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('electron/package.json'));
    const pathFile = path.join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const distRoot = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist');
    const binary = path.join(distRoot, readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Why Electron cannot run here, for one-line messages and skip reasons. */
export const NO_ELECTRON_REASON = 'no Electron binary in node_modules/electron (its postinstall download cannot reach the internet here)';
