/**
 * What a local process was started with: its command line and, where the OS lets us read it, its
 * environment. The bypass diagnosis reads them to say why a process went around the proxy (its
 * NO_PROXY, a missing NODE_USE_ENV_PROXY, no -Dhttp.proxyHost). Linux shows both in /proc for
 * processes of the same user (another user's environ is EACCES: then `env` is null, "unknown",
 * never an error); macOS has no /proc, so the command line comes from `ps` and the environment stays
 * unknown. Read once per newly seen bypassing process, never per connection.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface ProcessInfo {
  /** The command line, one element per argument; empty when the process is gone. */
  argv: string[];
  /** Its environment at start, or null when the OS would not tell. */
  env: Record<string, string> | null;
}

export async function readProcessInfo(pid: number): Promise<ProcessInfo> {
  if (process.platform === 'linux') {
    const [cmdline, environ] = await Promise.all([readFile(`/proc/${pid}/cmdline`).catch(() => null), readFile(`/proc/${pid}/environ`).catch(() => null)]);
    return { argv: cmdline ? nulSeparated(cmdline) : [], env: environ ? parseEnviron(environ) : null };
  }
  if (process.platform === 'darwin') return { argv: await psCommandLine(pid), env: null };
  return { argv: [], env: null };
}

/** /proc/PID/environ: `NAME=value` entries separated by NUL bytes. */
export function parseEnviron(raw: Buffer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of nulSeparated(raw)) {
    const equals = entry.indexOf('=');
    if (equals > 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return env;
}

function nulSeparated(raw: Buffer): string[] {
  return raw
    .toString('utf8')
    .split('\0')
    .filter((part) => part.length > 0);
}

function psCommandLine(pid: number): Promise<string[]> {
  return new Promise((resolve) => {
    // ps joins the arguments with spaces; an argument holding a space is split too, which the
    // diagnosis (looking for `-Dhttp.proxyHost=…`) can live with.
    execFile('ps', ['-p', String(pid), '-ww', '-o', 'command='], { timeout: 2_000 }, (error, stdout) =>
      resolve(error ? [] : stdout.trim().split(/\s+/).filter(Boolean)),
    );
  });
}
