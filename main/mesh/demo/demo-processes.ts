/**
 * Starts the demo services as real child processes, each with http_proxy pointing at the mesh, as
 * a developer's services started in an exported shell would be. Their output is shown prefixed,
 * through `log` (the terminal for `meshdesk demo`, the mesh's log when the dashboard loads it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../../package-root.js';
import { findPortHolder } from '../os/port-holder.js';

export interface DemoService {
  label: string;
  script: 'hello' | 'world' | 'traffic';
  args: string[];
  /** Names the caller in the proxy URL (`http://traffic@127.0.0.1:4140`), one of the attribution rules. */
  proxyUser?: string;
}

export class DemoProcesses {
  private readonly children: ChildProcess[] = [];

  constructor(
    private readonly proxyUrl: string,
    private readonly log: { out: (line: string) => void; err: (line: string) => void } = { out: console.log, err: console.error },
  ) {}

  /** Resolves when the service has printed its "listening" line (or at once for the traffic). */
  start(service: DemoService): Promise<void> {
    const script = path.join(packageRoot(), 'dist', 'resources', 'demo', `${service.script}.js`);
    const proxyUrl = service.proxyUser ? this.proxyUrl.replace('://', `://${service.proxyUser}@`) : this.proxyUrl;
    const child = spawn(process.execPath, [script, ...service.args], {
      env: { ...process.env, http_proxy: proxyUrl, HTTP_PROXY: proxyUrl, no_proxy: '', NO_PROXY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    return new Promise((resolve, reject) => {
      const prefix = `[${service.label}]`;
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        this.log.out(`${prefix} ${line}`);
        if (line.includes('listening on') || service.script === 'traffic') resolve();
      });
      createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => this.log.err(`${prefix} ${line}`));
      child.once('exit', (code) => reject(new Error(`${service.label} exited with code ${code}`)));
      child.once('error', reject);
    });
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
          }),
      ),
    );
  }
}

/**
 * Ports below the kernels' ephemeral ranges (Linux 32768–60999, macOS and Windows 49152–65535), so
 * that the port chosen here is not taken by some client socket's local end before the demo service
 * binds it: with a busy loopback, a port the kernel had just handed out for `listen(0)` often was.
 */
const DEMO_PORT_RANGE = { from: 20_000, to: 32_000 };

/** A port that was free a moment ago, outside the ephemeral range; port 0's pick if none is found. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = DEMO_PORT_RANGE.from + Math.floor(Math.random() * (DEMO_PORT_RANGE.to - DEMO_PORT_RANGE.from));
    if (await canListen(port)) return port;
  }
  return listenedPort(0);
}

function canListen(port: number): Promise<boolean> {
  return listenedPort(port).then(
    () => true,
    () => false,
  );
}

function listenedPort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * The first of `ports` something already listens on, named with its holder where the operating
 * system tells (`7001 (held by python3, pid 4242)`); null when all are free.
 */
export async function takenPort(ports: readonly number[]): Promise<string | null> {
  for (const port of ports) {
    if (await canListen(port)) continue;
    const holder = await findPortHolder(port);
    return holder === null ? `${port}` : `${port} (held by ${holder.command}, pid ${holder.pid})`;
  }
  return null;
}
