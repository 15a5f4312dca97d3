/**
 * The desktop app's command line: `meshdesk-desktop [--proxy-port N] [--admin-port N]
 * [--config FILE] [--user-data-dir DIR]`. Ports given here apply to this run only (the saved
 * settings stay as they are); `--user-data-dir` keeps a whole profile apart, which is how several
 * instances (and the e2e tests) run side by side. Unknown switches are left alone: Chromium and
 * Electron read their own from the same command line.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';

export interface DesktopArgs {
  proxyPort: number | null;
  adminPort: number | null;
  configFile: string | null;
  userDataDir: string | null;
}

export type ParsedArgs = { ok: true; args: DesktopArgs } | { ok: false; error: string };

class ArgumentError extends Error {}

function portOption(name: string, value: string | boolean | undefined): number | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !/^\d{1,5}$/.test(value) || Number(value) > 65_535) {
    throw new ArgumentError(`--${name} must be a port number from 0 to 65535`);
  }
  return Number(value);
}

function pathOption(name: string, value: string | boolean | undefined, cwd: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || value === '') throw new ArgumentError(`--${name} needs a path`);
  return path.resolve(cwd, value);
}

/** `argv` without the executable (and, unpackaged, without the app path). */
export function parseDesktopArgs(argv: readonly string[], cwd: string): ParsedArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'proxy-port': { type: 'string' },
      'admin-port': { type: 'string' },
      config: { type: 'string' },
      'user-data-dir': { type: 'string' },
    },
    strict: false,
    allowPositionals: true,
  });
  try {
    return {
      ok: true,
      args: {
        proxyPort: portOption('proxy-port', values['proxy-port']),
        adminPort: portOption('admin-port', values['admin-port']),
        configFile: pathOption('config', values.config, cwd),
        userDataDir: pathOption('user-data-dir', values['user-data-dir'], cwd),
      },
    };
  } catch (error) {
    if (error instanceof ArgumentError) return { ok: false, error: error.message };
    throw error;
  }
}
