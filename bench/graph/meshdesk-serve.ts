/**
 * The real `meshdesk serve` for the real-mode graph benchmark, started as a user starts it
 * (bin/meshdesk.js on the built dist/, same Node) on free loopback ports, with its token and state
 * in the benchmark's temporary folder. Where it listens is read from its banner, as the CLI tests
 * do (main/cli/testing/spawn-meshdesk.ts). Proxy variables are removed from its environment so no
 * benchmark traffic can leave loopback. Stopped with SIGTERM by its pid, SIGKILL if it lingers.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../../main/package-root.js';

export interface ServeProcess {
  pid: number;
  proxyUrl: string;
  /** Without a trailing slash, as measureGraph wants it. */
  dashboardUrl: string;
  loginUrl: string;
  stateDir: string;
  stop(): Promise<void>;
}

export async function startServe(configFile: string, workDir: string): Promise<ServeProcess> {
  const stateDir = path.join(workDir, 'state');
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(http|https|all|no)_proxy$/i.test(name)));
  const args = [path.join(packageRoot(), 'bin', 'meshdesk.js'), 'serve', '--proxy-port', '0', '--admin-port', '0', '--config', configFile, '--state-dir', stateDir];
  const child = spawn(process.execPath, args, {
    cwd: workDir,
    env: { ...env, TMPDIR: workDir, XDG_CONFIG_HOME: path.join(workDir, 'config') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const closed = once(child, 'close');
  const printed = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('meshdesk serve was not ready within 60 s')), 60_000);
    void closed.then(() => reject(new Error(`meshdesk serve exited (${child.exitCode ?? child.signalCode}) before it was ready`)));
    // The reader keeps draining stdout after the banner, so later lines never block the mesh.
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const match = /^meshdesk: (proxy|dashboard|login)\s+(http:\/\/\S+)/.exec(line);
      if (match) printed.set(match[1] as string, (match[2] as string).replace(/\/$/, ''));
      if (line.startsWith('meshdesk: in your shell: ')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const need = (name: string): string => {
    const value = printed.get(name);
    if (!value) throw new Error(`meshdesk serve printed no ${name} URL`);
    return value;
  };
  if (child.pid === undefined) throw new Error('meshdesk serve has no pid');
  return {
    pid: child.pid,
    proxyUrl: need('proxy'),
    dashboardUrl: need('dashboard'),
    loginUrl: need('login'),
    stateDir,
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await closed;
      clearTimeout(timer);
    },
  };
}
