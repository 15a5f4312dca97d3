/**
 * The programs the benchmark drives, found on PATH (and in sbin, where Debian puts nginx). wrk is
 * the load generator and is required; nginx is a comparison row and optional; taskset pins the
 * proxy side and the load generator to different cores and is skipped, with a note, when missing.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export interface Tool {
  path: string;
  version: string;
}

export interface Tools {
  wrk: Tool | null;
  nginx: Tool | null;
  taskset: Tool | null;
  /** mitmproxy's headless proxy (Debian: apt-get install mitmproxy); its row is skipped without it. */
  mitmdump: Tool | null;
}

const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

export function findTools(): Tools {
  return {
    wrk: find('wrk', ['-v'], /wrk (\S+)/),
    nginx: find('nginx', ['-v'], /nginx\/(\S+)/),
    taskset: find('taskset', ['--version'], /(\d+\.\d+(?:\.\d+)?)/),
    mitmdump: find('mitmdump', ['--version'], /Mitmproxy: (\S+)/),
  };
}

function find(name: string, versionArgs: string[], versionPattern: RegExp): Tool | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...EXTRA_DIRS];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    return { path: candidate, version: versionOf(candidate, versionArgs, versionPattern) };
  }
  return null;
}

function versionOf(file: string, args: string[], pattern: RegExp): string {
  // wrk -v and nginx -v print to stderr, and wrk exits non-zero: read both streams, ignore the status.
  const { stdout, stderr } = spawnSync(file, args, { encoding: 'utf8', timeout: 5_000 });
  return pattern.exec(`${stdout ?? ''}${stderr ?? ''}`)?.[1] ?? 'unknown';
}
