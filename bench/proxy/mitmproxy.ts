/**
 * The mitmproxy row: Debian's mitmdump as a reverse proxy in front of the upstream, quiet (no
 * flow printing), pinned to the server core like every proxy here. Python, one process, so its RSS
 * and CPU are one pid's. Optional: the row is skipped with a printed reason when mitmdump is absent.
 */
import { spawn } from 'node:child_process';
import { freePort, pinned, SERVER_CORE, stopChild, waitForPort, type Pinning } from './children.js';

export interface MitmProcess {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

export async function startMitmdump(mitmdumpPath: string, pinning: Pinning, workDir: string, upstreamPort: number): Promise<MitmProcess> {
  const port = await freePort();
  const args = [
    '--mode',
    `reverse:http://127.0.0.1:${upstreamPort}`,
    '--listen-host',
    '127.0.0.1',
    '--listen-port',
    String(port),
    '--quiet',
    // Its own CA and state under the run's temp folder, never the user's ~/.mitmproxy.
    '--set',
    `confdir=${workDir}/mitmproxy`,
  ];
  const [file, argv] = pinned(pinning, SERVER_CORE, mitmdumpPath, args);
  const child = spawn(file, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port, child, 30_000);
  return { pid: child.pid as number, port, stop: () => stopChild(child, () => child.kill('SIGTERM')) };
}
