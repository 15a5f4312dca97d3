/**
 * Linux's view of TCP sockets and the processes holding them, read from /proc: the socket tables
 * (/proc/net/tcp and tcp6, one row per socket with its ports, state and inode) and each process's
 * open descriptors (/proc/PID/fd links of the form `socket:[INODE]`). Shared by the port-holder
 * message and the caller attribution. A full scan touches every process while the proxy's event
 * loop must keep serving: see scanProcesses.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';

export const TCP_ESTABLISHED = '01';
export const TCP_LISTEN = '0A';

export interface TcpSocketRow {
  localPort: number;
  remotePort: number;
  /** The peer's address as the table prints it (hex, kernel byte order); decodeProcAddress reads it. */
  remoteHex: string;
  /** Kernel state in hex as the table prints it: `01` established, `0A` listen. */
  state: string;
  uid: number;
  inode: string;
}

/** Every row of /proc/net/tcp and /proc/net/tcp6 (IPv4-mapped IPv6 sockets appear in the latter). */
export async function readTcpTables(): Promise<TcpSocketRow[]> {
  const texts = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((table) => readFile(table, 'utf8').catch(() => '')));
  return texts.flatMap(parseTcpTable);
}

export function parseTcpTable(text: string): TcpSocketRow[] {
  const rows: TcpSocketRow[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [, local, remote, state, , , , uid, , inode] = fields;
    if (!local || !remote || !state || !uid || !inode) continue;
    rows.push({ localPort: portOf(local), remotePort: portOf(remote), remoteHex: remote.slice(0, remote.lastIndexOf(':')), state, uid: Number(uid), inode });
  }
  return rows;
}

function portOf(address: string): number {
  return Number.parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
}

/**
 * An address of the socket tables as text: IPv4 is one 32-bit word and IPv6 four, each printed in
 * the kernel's (little-endian) byte order: `0100007F` is 127.0.0.1, and an IPv4-mapped IPv6 peer
 * comes back as `::ffff:127.0.0.1`. Decoded only for the rows a caller keeps, not for every row.
 */
export function decodeProcAddress(hex: string): string {
  const bytes = (word: string) => [6, 4, 2, 0].map((at) => Number.parseInt(word.slice(at, at + 2), 16));
  if (hex.length === 8) return bytes(hex).join('.');
  const all = [0, 8, 16, 24].flatMap((at) => bytes(hex.slice(at, at + 8)));
  const groups = [0, 2, 4, 6, 8, 10, 12, 14].map((at) => (((all[at] ?? 0) << 8) | (all[at + 1] ?? 0)).toString(16));
  if (groups.slice(0, 5).every((group) => group === '0') && groups[5] === 'ffff') return `::ffff:${all.slice(12).join('.')}`;
  return compressIpv6(groups);
}

/** `0:0:0:0:0:0:0:1` → `::1`: the longest run of zero groups becomes `::`, as Node prints addresses. */
function compressIpv6(groups: string[]): string {
  let best = { at: -1, length: 0 };
  for (let at = 0; at < groups.length;) {
    let end = at;
    while (groups[end] === '0') end++;
    if (end - at > best.length) best = { at, length: end - at };
    at = end + 1;
  }
  if (best.length < 2) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.length).join(':')}`;
}

/** The numeric entries of /proc, as pids. */
export async function listPids(): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  return entries.filter((entry) => /^\d+$/.test(entry)).map(Number);
}

/** The process's command name (at most 15 characters, as the kernel keeps it), or null if it is gone. */
export async function commandOf(pid: number): Promise<string | null> {
  const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => null);
  return comm === null ? null : comm.trim();
}

/**
 * Visits processes with their socket inodes until `visit` returns true, and returns that pid (null
 * when none did). `first` are tried before the rest, in order; then the newest processes first,
 * since pids grow: a client that just started (a `curl` in a loop) is found after a few reads.
 *
 * The descriptor links are read synchronously: one readlink costs microseconds in a syscall but
 * tens of microseconds as a thread-pool round trip, and a scan makes thousands. To keep the event
 * loop serving, the scan yields whenever it has held the thread for SLICE_MS.
 */
export async function scanProcesses(first: readonly number[], visit: (pid: number, inodes: readonly string[]) => boolean): Promise<number | null> {
  const tried = new Set<number>();
  let sliceStart = performance.now();
  const pause = async () => {
    if (performance.now() - sliceStart < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
  const visitAll = async (pids: readonly number[]): Promise<number | null> => {
    for (const pid of pids) {
      if (tried.has(pid)) continue;
      tried.add(pid);
      const inodes: string[] = [];
      const fds = readdirOrEmpty(`/proc/${pid}/fd`);
      for (let i = 0; i < fds.length; i++) {
        const link = readlinkOrEmpty(`/proc/${pid}/fd/${fds[i]}`);
        if (link.startsWith('socket:[')) inodes.push(link.slice(8, -1));
        if ((i & 255) === 255) await pause();
      }
      if (visit(pid, inodes)) return pid;
      await pause();
    }
    return null;
  };
  return (await visitAll(first)) ?? (await visitAll((await listPids()).sort((a, b) => b - a)));
}

const SLICE_MS = 2;

/** A process that is gone or not ours to look at (EACCES) is normal during a scan: it has no sockets. */
function readdirOrEmpty(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function readlinkOrEmpty(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}
