/**
 * Which local process holds the client end of a loopback TCP connection, and which ports that
 * process listens on: the operating system's answer to "who is calling the proxy?".
 *
 * Built for a proxy's accept path, so it never blocks and never multiplies work:
 * - Lookups are batched. While one scan runs, new questions queue; the next scan answers all of
 *   them with one read of the socket tables and one pass over the processes. A burst of a thousand
 *   connections costs a few scans, not a thousand.
 * - The processes that owned recent connections are tried first: services call again and again,
 *   so a warm lookup reads a handful of /proc/PID/fd directories instead of every process's.
 * - Linux reads /proc (proc-net.ts); macOS has no /proc, so it asks lsof, which also works on
 *   Linux and is tested there. Anything the OS will not tell resolves to null, never to an error.
 */
import { execFile } from 'node:child_process';
import { commandOf, readTcpTables, scanProcesses, TCP_LISTEN } from './proc-net.js';

export interface SocketOwner {
  pid: number;
  /** The process's command name as the OS reports it (`node`, `curl`, `python3`). */
  command: string;
  /** TCP ports the same process listens on, ascending. */
  listeningPorts: number[];
}

export type SocketOwnerBackend = 'proc' | 'lsof' | 'none';

export interface SocketOwnersOptions {
  /** Default: `proc` on Linux, `lsof` on macOS, `none` elsewhere. */
  backend?: SocketOwnerBackend;
  /** How many recent owners to try before scanning every process. */
  recentOwners?: number;
}

interface Question {
  clientPort: number;
  serverPort: number;
  resolve: (owner: SocketOwner | null) => void;
}

const LSOF_TIMEOUT_MS = 2_000;
/** Past this many waiting questions, new ones are answered null at once rather than queued. */
const MAX_QUEUED = 10_000;

export class SocketOwners {
  private readonly backend: SocketOwnerBackend;
  private readonly recentLimit: number;
  /** Pids of recent owners, most recent first. */
  private recent: number[] = [];
  private queue: Question[] = [];
  private draining = false;

  constructor(options: SocketOwnersOptions = {}) {
    this.backend = options.backend ?? defaultBackend();
    this.recentLimit = options.recentOwners ?? 32;
  }

  /**
   * The process holding the socket whose local port is `clientPort` and whose peer is the local
   * port `serverPort` (the client side of a connection accepted on `serverPort`).
   */
  find(clientPort: number, serverPort: number): Promise<SocketOwner | null> {
    if (this.backend === 'none' || this.queue.length >= MAX_QUEUED) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.queue.push({ clientPort, serverPort, resolve });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        const owners = await (this.backend === 'lsof' ? ownersFromLsof(batch) : ownersFromProc(batch, this.recent)).catch(
          () => new Map<Question, SocketOwner>(),
        );
        for (const question of batch) {
          const owner = owners.get(question) ?? null;
          if (owner) this.remember(owner.pid);
          question.resolve(owner);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private remember(pid: number): void {
    if (this.recent[0] === pid) return;
    this.recent = [pid, ...this.recent.filter((known) => known !== pid)].slice(0, this.recentLimit);
  }
}

function defaultBackend(): SocketOwnerBackend {
  if (process.platform === 'linux') return 'proc';
  if (process.platform === 'darwin') return 'lsof';
  return 'none';
}

async function ownersFromProc(batch: readonly Question[], recent: readonly number[]): Promise<Map<Question, SocketOwner>> {
  const wanted = new Map<string, Question[]>();
  for (const question of batch) {
    const key = `${question.clientPort}>${question.serverPort}`;
    wanted.set(key, [...(wanted.get(key) ?? []), question]);
  }
  const byInode = new Map<string, Question[]>();
  const listenPortByInode = new Map<string, number>();
  for (const row of await readTcpTables()) {
    if (row.state === TCP_LISTEN) {
      listenPortByInode.set(row.inode, row.localPort);
      continue;
    }
    // TIME_WAIT sockets belong to no process any more: the kernel shows them with inode 0.
    const questions = row.inode === '0' ? undefined : wanted.get(`${row.localPort}>${row.remotePort}`);
    if (questions) byInode.set(row.inode, questions);
  }

  const found = new Map<Question, { pid: number; listeningPorts: number[] }>();
  let left = byInode.size;
  if (left > 0) {
    await scanProcesses(recent, (pid, inodes) => {
      let mine: Question[] | null = null;
      for (const inode of inodes) {
        const questions = byInode.get(inode);
        if (!questions) continue;
        byInode.delete(inode);
        left--;
        mine = mine ? [...mine, ...questions] : questions;
      }
      if (mine) {
        const listeningPorts = inodes.flatMap((inode) => listenPortByInode.get(inode) ?? []).sort((a, b) => a - b);
        for (const question of mine) found.set(question, { pid, listeningPorts: [...new Set(listeningPorts)] });
      }
      return left === 0;
    });
  }

  const owners = new Map<Question, SocketOwner>();
  const commands = new Map<number, string | null>();
  for (const [question, { pid, listeningPorts }] of found) {
    if (!commands.has(pid)) commands.set(pid, await commandOf(pid));
    const command = commands.get(pid);
    if (command) owners.set(question, { pid, command, listeningPorts });
  }
  return owners;
}

async function ownersFromLsof(batch: readonly Question[]): Promise<Map<Question, SocketOwner>> {
  const ports = [...new Set(batch.map((question) => question.clientPort))];
  const connections = parseLsof(await lsof(['-nP', `-iTCP:${ports.join(',')}`, '-Fpcn']));
  const owners = new Map<Question, SocketOwner>();
  const matched = new Map<Question, { pid: number; command: string }>();
  for (const { pid, command, names } of connections) {
    for (const question of batch) {
      const mine = names.some((name) => connectionPorts(name)?.join('>') === `${question.clientPort}>${question.serverPort}`);
      if (mine && !matched.has(question)) matched.set(question, { pid, command });
    }
  }
  if (matched.size === 0) return owners;
  const pids = [...new Set([...matched.values()].map((owner) => owner.pid))];
  const listening = parseLsof(await lsof(['-nP', '-a', '-p', pids.join(','), '-iTCP', '-sTCP:LISTEN', '-Fpn']));
  for (const [question, { pid, command }] of matched) {
    const names = listening.find((entry) => entry.pid === pid)?.names ?? [];
    const listeningPorts = [...new Set(names.map((name) => Number(name.slice(name.lastIndexOf(':') + 1))))].sort((a, b) => a - b);
    owners.set(question, { pid, command, listeningPorts });
  }
  return owners;
}

/** `127.0.0.1:52110->127.0.0.1:4140` → [52110, 4140]; a listening socket's name has no arrow. */
function connectionPorts(name: string): [number, number] | null {
  const arrow = name.indexOf('->');
  if (arrow < 0) return null;
  const local = name.slice(0, arrow);
  const remote = name.slice(arrow + 2);
  return [Number(local.slice(local.lastIndexOf(':') + 1)), Number(remote.slice(remote.lastIndexOf(':') + 1))];
}

interface LsofProcess {
  pid: number;
  command: string;
  names: string[];
}

/** lsof's `-F` output: one field per line, a `p` line opening each process. */
export function parseLsof(output: string): LsofProcess[] {
  const processes: LsofProcess[] = [];
  let current: LsofProcess | null = null;
  for (const line of output.split('\n')) {
    const value = line.slice(1);
    if (line.startsWith('p')) {
      current = { pid: Number(value), command: '', names: [] };
      processes.push(current);
    } else if (current && line.startsWith('c')) {
      current.command = value;
    } else if (current && line.startsWith('n')) {
      current.names.push(value);
    }
  }
  return processes;
}

function lsof(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    // lsof exits 1 when nothing matched; its output is still the answer (empty).
    execFile('lsof', args, { timeout: LSOF_TIMEOUT_MS }, (_error, stdout) => resolve(stdout ?? ''));
  });
}
