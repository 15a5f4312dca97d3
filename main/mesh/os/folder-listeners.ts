/**
 * The processes started from a folder (their working directory is in it) that listen on TCP ports:
 * what `meshdesk init` offers as a workspace's services when the developer already runs them. Linux
 * reads /proc; elsewhere there is no cheap, dependable way to learn a process's working directory,
 * so the answer is "unknown" (null), which init says in its output rather than guessing.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { readTcpTables, scanProcesses, TCP_LISTEN } from './proc-net.js';

export interface FolderListener {
  pid: number;
  /** The command line, arguments split as the process received them. */
  argv: string[];
  /** Its working directory, inside the folder asked about. */
  cwd: string;
  /** TCP ports it listens on, ascending. */
  ports: number[];
}

/** Null where the OS cannot tell (not Linux). `exclude`: pids to leave out (this process, a mesh). */
export async function listenersStartedIn(folder: string, exclude: ReadonlySet<number> = new Set([process.pid])): Promise<FolderListener[] | null> {
  if (process.platform !== 'linux') return null;
  const root = path.resolve(folder);
  const listenPortByInode = new Map<string, number>();
  for (const row of await readTcpTables()) if (row.state === TCP_LISTEN) listenPortByInode.set(row.inode, row.localPort);
  const found: FolderListener[] = [];
  await scanProcesses([], (pid, inodes) => {
    if (exclude.has(pid)) return false;
    const ports = [...new Set(inodes.flatMap((inode) => listenPortByInode.get(inode) ?? []))].sort((a, b) => a - b);
    if (ports.length === 0) return false;
    const cwd = readlinkOrNull(`/proc/${pid}/cwd`);
    if (cwd === null || !isInside(cwd, root)) return false;
    found.push({ pid, argv: argvOf(pid), cwd, ports });
    return false;
  });
  return found.sort((a, b) => (a.ports[0] ?? 0) - (b.ports[0] ?? 0));
}

function isInside(folder: string, root: string): boolean {
  const relative = path.relative(root, folder);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((arg) => arg.length > 0);
  } catch {
    return [];
  }
}

function readlinkOrNull(link: string): string | null {
  try {
    return readlinkSync(link);
  } catch {
    return null;
  }
}
