/**
 * The machine's open TCP connections to a set of ports, as the operating system lists them: what
 * the bypass watcher reads once a second to find processes calling an instance straight, past the
 * proxy. Linux reads /proc/net/tcp{,6} (proc-net.ts); macOS asks lsof, which Linux has too and is
 * tested there.
 *
 * Cheap by construction, since it runs on a timer in the proxy's process: one read of the tables,
 * rows kept only when established and headed for a watched port, and nothing decoded for the
 * others. The mesh's own connections (its upstream pools, health probes, HTTP/2 sessions) are left
 * out here, where the OS can tell them apart: with lsof by pid; on Linux by the socket inodes this
 * process holds, read only when a row the caller has not seen before is there (a busy mesh holds
 * thousands of sockets: reading all their links took 20 ms for 2,000, so it is not done every
 * second, and it yields to the event loop as a process scan does). Who owns the rest is the
 * caller's question (socket-owner.ts), asked only for connections it has not seen before.
 */
import { execFile } from 'node:child_process';
import { decodeProcAddress, readTcpTables, scanProcesses, TCP_ESTABLISHED } from './proc-net.js';
import { parseLsof } from './socket-owner.js';

export interface OutboundConnection {
  /** Stable while the connection lives, distinct between connections: its socket inode, or pid and ports. */
  key: string;
  localPort: number;
  remotePort: number;
  /** The peer's address as Node prints one: `127.0.0.1`, `::1`, `::ffff:127.0.0.1`. */
  remoteAddress: string;
  /** Held by `selfPid` (the mesh itself): the caller records it as such and never asks about it again. */
  own?: boolean;
}

export type ConnectionTableBackend = 'proc' | 'lsof' | 'none';

export function defaultConnectionTableBackend(): ConnectionTableBackend {
  if (process.platform === 'linux') return 'proc';
  if (process.platform === 'darwin') return 'lsof';
  return 'none';
}

/**
 * Established connections whose remote port is in `ports`; those held by process `selfPid` are
 * flagged `own` (lsof leaves them out). `known` are keys the caller has already placed: they are
 * returned again while they live, without asking again whether they are its own.
 */
export async function connectionsTo(
  ports: ReadonlySet<number>,
  selfPid: number,
  backend = defaultConnectionTableBackend(),
  known: (key: string) => boolean = () => false,
): Promise<OutboundConnection[]> {
  if (ports.size === 0) return [];
  if (backend === 'proc') return fromProc(ports, selfPid, known);
  if (backend === 'lsof') return fromLsof(ports, selfPid);
  return [];
}

async function fromProc(ports: ReadonlySet<number>, selfPid: number, known: (key: string) => boolean): Promise<OutboundConnection[]> {
  // TIME_WAIT and other closing sockets belong to no process any more (inode 0): only established ones can be named.
  const rows = (await readTcpTables()).filter((row) => row.state === TCP_ESTABLISHED && row.inode !== '0' && ports.has(row.remotePort));
  const connections = rows.map((row) => ({
    key: `inode:${row.inode}`,
    inode: row.inode,
    localPort: row.localPort,
    remotePort: row.remotePort,
    remoteHex: row.remoteHex,
  }));
  let own: ReadonlySet<string> = new Set();
  if (connections.some((connection) => !known(connection.key))) {
    await scanProcesses([selfPid], (_pid, inodes) => {
      own = new Set(inodes);
      return true;
    });
  }
  return connections.map(({ key, inode, localPort, remotePort, remoteHex }) => ({
    key,
    localPort,
    remotePort,
    remoteAddress: decodeProcAddress(remoteHex),
    ...(own.has(inode) ? { own: true } : {}),
  }));
}

async function fromLsof(ports: ReadonlySet<number>, selfPid: number): Promise<OutboundConnection[]> {
  const output = await new Promise<string>((resolve) => {
    // lsof exits 1 when nothing matched; its output is still the answer (empty).
    execFile('lsof', ['-nP', '-iTCP', '-sTCP:ESTABLISHED', '-Fpn'], { timeout: 2_000, maxBuffer: 16 * 1024 * 1024 }, (_error, stdout) => resolve(stdout ?? ''));
  });
  const connections: OutboundConnection[] = [];
  for (const { pid, names } of parseLsof(output)) {
    if (pid === selfPid) continue;
    for (const name of names) {
      const connection = parseLsofConnection(name);
      if (connection && ports.has(connection.remotePort))
        connections.push({ key: `lsof:${pid}:${connection.localPort}>${connection.remotePort}`, ...connection });
    }
  }
  return connections;
}

/** `127.0.0.1:52110->127.0.0.1:7002`, `[::1]:52110->[::1]:7002`; null for a name without a peer. */
export function parseLsofConnection(name: string): Omit<OutboundConnection, 'key'> | null {
  const arrow = name.indexOf('->');
  if (arrow < 0) return null;
  const local = name.slice(0, arrow);
  const remote = name.slice(arrow + 2);
  const remoteColon = remote.lastIndexOf(':');
  const host = remote.slice(0, remoteColon);
  return {
    localPort: Number(local.slice(local.lastIndexOf(':') + 1)),
    remotePort: Number(remote.slice(remoteColon + 1)),
    remoteAddress: host.startsWith('[') ? host.slice(1, -1) : host,
  };
}
