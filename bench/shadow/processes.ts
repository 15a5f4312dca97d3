/**
 * The processes one shadow benchmark run starts, each pinned as issue 18 asks: `meshdesk serve` and
 * both versions of `world` on the server core, the load generator on the other (taskset; run
 * unpinned, with a note, without it or with one CPU). `meshdesk serve` starts as a user starts it:
 * bin/meshdesk.js over the built dist/, free ports, its state in the run's temporary folder, where
 * it listens read from its banner. taskset execs node, and `serve` re-executes itself in place to
 * take its heap flags, so the pid spawned is the mesh's own and its CPU time is read from /proc by
 * it. Proxy variables are removed from every child's environment so no request can leave loopback.
 * Each child is stopped by its own pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../main/package-root.js';
import { LOAD_CORE, pinned, SERVER_CORE, type Pinning } from '../proxy/children.js';
import { stopChild } from '../request-log/mesh-process.js';
import { loadResultSchema, type LoadResult } from './load-result.js';

export { LOAD_CORE, SERVER_CORE, type Pinning };

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Started {
  pid: number;
  /** The CPUs the kernel lets it run on, as /proc says (`0`), to show the pinning held. */
  cpus: string;
  stop(): Promise<void>;
}

export interface ServedMesh extends Started {
  proxyUrl: string;
  adminUrl: string;
  stateDir: string;
}

function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(http|https|all|no)_proxy$/i.test(name)));
  return { ...env, ...extra };
}

function spawnPinned(pinning: Pinning, core: number, args: string[], env: NodeJS.ProcessEnv, cwd?: string): ChildProcess {
  const [file, argv] = pinned(pinning, core, process.execPath, args);
  return spawn(file, argv, { env, cwd, stdio: ['pipe', 'pipe', 'inherit'] });
}

function started(child: ChildProcess): Started {
  if (child.pid === undefined) throw new Error('a bench child has no pid');
  const closed = once(child, 'close');
  const pid = child.pid;
  return { pid, cpus: allowedCpus(pid), stop: () => stopChild(child, closed, 10_000) };
}

export function allowedCpus(pid: number): string {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Resolves at the first line of the child's stdout `done` accepts; rejects when the child ends first or takes too long. */
function waitForLines(child: ChildProcess, done: (line: string) => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} was not ready within ${timeoutMs / 1000} s`)), timeoutMs);
    child.once('close', (code) => reject(new Error(`${what} exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!done(line)) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

/** One version of `world` (json-upstream.ts) on the server core, answering about `bodyBytes` of JSON (0: a small answer). */
export async function startUpstream(pinning: Pinning, version: string, bodyBytes = 0): Promise<Started & { port: number }> {
  const child = spawnPinned(pinning, SERVER_CORE, [path.join(here, 'json-upstream.js'), version, String(bodyBytes)], cleanEnv());
  let port = 0;
  await waitForLines(
    child,
    (line) => {
      port = Number(/^listening (\d+)$/.exec(line)?.[1] ?? 0);
      return port > 0;
    },
    `the ${version} upstream`,
  );
  return { ...started(child), port };
}

/** `meshdesk serve --config <file>` on the server core, with its state in `workDir`. */
export async function startServe(pinning: Pinning, configFile: string, workDir: string): Promise<ServedMesh> {
  const stateDir = path.join(workDir, 'state');
  const args = [path.join(packageRoot(), 'bin', 'meshdesk.js'), 'serve', '--proxy-port', '0', '--admin-port', '0', '--config', configFile];
  const env = cleanEnv({ TMPDIR: workDir, MESHDESK_STATE_DIR: stateDir, XDG_CONFIG_HOME: path.join(workDir, 'config') });
  const child = spawnPinned(pinning, SERVER_CORE, args, env, workDir);
  const printed = new Map<string, string>();
  await waitForLines(
    child,
    (line) => {
      const match = /^meshdesk: (proxy|dashboard)\s+(http:\/\/\S+)/.exec(line);
      if (match) printed.set(match[1] as string, (match[2] as string).replace(/\/$/, ''));
      return /^meshdesk: in your shell: /.test(line);
    },
    'meshdesk serve',
  );
  const proxyUrl = printed.get('proxy');
  const adminUrl = printed.get('dashboard');
  if (!proxyUrl || !adminUrl) throw new Error('meshdesk serve printed no proxy or dashboard URL');
  return { ...started(child), proxyUrl, adminUrl, stateDir };
}

/** One measured phase: open-loop-load.ts on the load core, to the end. */
export async function runLoad(
  pinning: Pinning,
  proxyUrl: string,
  plan: { rate: number; warmup: number; seconds: number; connections: number },
): Promise<LoadResult> {
  const args = [path.join(here, 'open-loop-load.js'), proxyUrl, String(plan.rate), String(plan.warmup), String(plan.seconds), String(plan.connections)];
  const child = spawnPinned(pinning, LOAD_CORE, args, cleanEnv());
  const lines: string[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => lines.push(line));
  const [code] = (await once(child, 'close')) as [number | null];
  const last = lines.at(-1);
  if (code !== 0 || !last) throw new Error(`the load generator exited with ${code}`);
  return loadResultSchema.parse(JSON.parse(last));
}
