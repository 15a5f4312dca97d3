/**
 * Which process holds a listening TCP port, where the operating system tells: on Linux from
 * /proc/net/tcp{,6} and the processes' open sockets, on macOS from lsof. Used to turn "address in
 * use" into a message that names the holder. Best effort: returns null when it cannot see.
 */
import { execFile } from 'node:child_process';
import { commandOf, readTcpTables, scanProcesses, TCP_LISTEN } from './proc-net.js';

export interface PortHolder {
  pid: number;
  command: string;
}

export async function findPortHolder(port: number): Promise<PortHolder | null> {
  try {
    if (process.platform === 'linux') return await fromProc(port);
    if (process.platform === 'darwin') return await fromLsof(port);
  } catch {
    // Permissions or a missing tool: the caller still reports the port, just not its holder.
  }
  return null;
}

async function fromProc(port: number): Promise<PortHolder | null> {
  const rows = await readTcpTables();
  const inodes = new Set(rows.filter((row) => row.state === TCP_LISTEN && row.localPort === port).map((row) => row.inode));
  if (inodes.size === 0) return null;
  const holder = await scanProcesses([], (_pid, sockets) => sockets.some((inode) => inodes.has(inode)));
  if (holder === null) return null;
  return { pid: holder, command: (await commandOf(holder)) ?? '?' };
}

function fromLsof(port: number): Promise<PortHolder | null> {
  return new Promise((resolve) => {
    execFile('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], { timeout: 2_000 }, (error, stdout) => {
      if (error) return resolve(null);
      const pid = /^p(\d+)$/m.exec(stdout)?.[1];
      const command = /^c(.+)$/m.exec(stdout)?.[1];
      resolve(pid ? { pid: Number(pid), command: command ?? '?' } : null);
    });
  });
}
