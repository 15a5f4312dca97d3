/**
 * `meshdesk serve` for the benchmark, started the way a user starts it (bin/meshdesk.js, the built
 * dist/), on free ports, with its state in the benchmark's temporary directory; where it listens
 * is read from its banner. Proxy variables are removed from its environment so nothing of the
 * benchmark's traffic can leave loopback. Stopped with SIGTERM, then SIGKILL if it lingers.
 * The graph benchmark's real mode starts its mesh with this too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../../main/package-root.js';

export interface BenchMesh {
  /** For reading its CPU time in /proc. */
  pid: number;
  proxyUrl: string;
  dashboardUrl: string;
  loginUrl: string;
  stateDir: string;
  stop(): Promise<void>;
}

export async function startMesh(configFile: string, workDir: string): Promise<BenchMesh> {
  const stateDir = path.join(workDir, 'state');
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(http|https|all|no)_proxy$/i.test(name)));
  const child = spawn(
    process.execPath,
    [path.join(packageRoot(), 'bin', 'meshdesk.js'), 'serve', '--proxy-port', '0', '--admin-port', '0', '--config', configFile],
    {
      cwd: workDir,
      env: { ...env, TMPDIR: workDir, MESHDESK_STATE_DIR: stateDir, XDG_CONFIG_HOME: path.join(workDir, 'config') },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const printed = new Map<string, string>();
  const closed = once(child, 'close');
  await new Promise<void>((resolve, reject) => {
    // A config of hundreds of services (the graph benchmark's) takes longer to load than the demo's.
    const timer = setTimeout(() => reject(new Error('meshdesk serve was not ready within 60 s')), 60_000);
    void closed.then(() => reject(new Error(`meshdesk serve exited with ${child.exitCode} before it was ready`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const match = /^meshdesk: (proxy|dashboard|login)\s+(http:\/\/\S+)/.exec(line);
      if (match) printed.set(match[1] as string, (match[2] as string).replace(/\/$/, ''));
      if (/^meshdesk: in your shell: /.test(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const need = (name: string) => {
    const value = printed.get(name);
    if (!value) throw new Error(`meshdesk serve printed no ${name} URL`);
    return value;
  };
  if (child.pid === undefined) throw new Error('meshdesk serve has no pid');
  return {
    pid: child.pid,
    proxyUrl: need('proxy'),
    dashboardUrl: `${need('dashboard')}/`,
    loginUrl: need('login'),
    stateDir,
    stop: () => stopChild(child, closed, 10_000),
  };
}

/** SIGTERM, then SIGKILL after `graceMs` if the process lingers; resolves once it has closed. */
export async function stopChild(child: ChildProcess, closed: Promise<unknown>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await closed;
  clearTimeout(timer);
}
