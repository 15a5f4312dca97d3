/**
 * Which process holds a listening TCP port, where the operating system tells: on Linux from
 * /proc/net/tcp{,6} and the processes' open sockets, on macOS from lsof. Used to turn "address in
 * use" into a message that names the holder. Best effort: returns null when it cannot see.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, readlink } from 'node:fs/promises';

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

const TCP_LISTEN = '0A';

async function fromProc(port: number): Promise<PortHolder | null> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (!local || fields[3] !== TCP_LISTEN) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port && fields[9]) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return null;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode && inodes.has(inode)) {
        const command = (await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '?')).trim();
        return { pid: Number(entry), command };
      }
    }
  }
  return null;
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
