/**
 * Runs the real `meshdesk` command (bin/meshdesk.js, built dist/) as a child process for CLI tests,
 * and reads the addresses it prints. Needs `npm run build` first, as `npm test` does.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../package-root.js';

export interface RunningMeshdesk {
  child: ChildProcessWithoutNullStreams;
  proxyUrl: string;
  adminUrl: string;
  /** The one-time login URL `serve` printed. */
  loginUrl: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A state folder of the test's own, so no test reads or writes the user's real token. */
export function tempStateDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'meshdesk-state-'));
}

/** A `meshdesk serve` on free ports with `yaml` as its meshdesk.yaml, and the env the admin CLI needs to reach it. */
export interface ServedMeshdesk {
  mesh: RunningMeshdesk;
  configFile: string;
  /** MESHDESK_STATE_DIR, MESHDESK_ADMIN_URL and NO_COLOR for `runMeshdesk`. */
  env: NodeJS.ProcessEnv;
}

/** Starts `meshdesk serve` with `yaml`; the kill is pushed onto `cleanups`, which the test runs. */
export async function serveWithYaml(yaml: string, cleanups: (() => unknown)[]): Promise<ServedMeshdesk> {
  const configFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'meshdesk-cli-')), 'meshdesk.yaml');
  writeFileSync(configFile, yaml);
  const stateDir = tempStateDir();
  const mesh = await startMeshdesk(['serve', '--proxy-port', '0', '--admin-port', '0', '--config', configFile], { MESHDESK_STATE_DIR: stateDir });
  cleanups.push(async () => {
    mesh.child.kill('SIGKILL');
    await mesh.exited;
  });
  return { mesh, configFile, env: { MESHDESK_STATE_DIR: stateDir, MESHDESK_ADMIN_URL: mesh.adminUrl, NO_COLOR: '1' } };
}

export interface StartOptions {
  /** Node options before the script, as a user's `node … bin/meshdesk.js` would give them. */
  nodeArgs?: string[];
  /** In a process group of its own, so a test can signal the group as a terminal does. */
  detached?: boolean;
  /** The folder it runs in (a workspace); default: the test's. */
  cwd?: string;
  /** The CPUs it may run on, as `taskset -c` takes them (Linux): `taskset` then execs Node, same pid. */
  cpus?: string;
}

export function startMeshdesk(args: string[], env: NodeJS.ProcessEnv = {}, options: StartOptions = {}): Promise<RunningMeshdesk> {
  const command = [process.execPath, ...(options.nodeArgs ?? []), path.join(packageRoot(), 'bin', 'meshdesk.js'), ...args];
  const [file, ...argv] = options.cpus === undefined ? command : ['taskset', '-c', options.cpus, ...command];
  const child = spawn(file as string, argv, {
    env: { ...process.env, MESHDESK_STATE_DIR: tempStateDir(), ...env },
    detached: options.detached ?? false,
    cwd: options.cwd,
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const proxyUrl = /meshdesk: proxy\s+(\S+)/.exec(output)?.[1];
      const adminUrl = /meshdesk: dashboard\s+(\S+?)\/?\s/.exec(output)?.[1];
      const loginUrl = /meshdesk: login\s+(\S+)/.exec(output)?.[1];
      if (proxyUrl && adminUrl && loginUrl && output.includes('in your shell')) {
        resolve({ child, proxyUrl, adminUrl, loginUrl, output: () => output, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`meshdesk exited (${code}) before it was ready:\n${output}`)));
  });
}

/**
 * Runs `meshdesk` to completion and returns what it printed. A variable set to undefined in `env`
 * is left out (MESHDESK_STATE_DIR: undefined lets the command find its workspace's state).
 */
export function runMeshdesk(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: { cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(packageRoot(), 'bin', 'meshdesk.js'), ...args], {
    env: { ...process.env, MESHDESK_STATE_DIR: tempStateDir(), ...env },
    cwd: options.cwd,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** Opens the one-time login URL as a browser would and returns the session cookie it sets. */
export async function signIn(loginUrl: string): Promise<string> {
  const answer = await fetch(loginUrl, { redirect: 'manual' });
  const cookie = answer.headers.get('set-cookie');
  if (answer.status !== 303 || !cookie) throw new Error(`login failed with ${answer.status}`);
  return cookie.split(';')[0] ?? '';
}
