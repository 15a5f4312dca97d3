/**
 * Starting and stopping the processes under test. Proxies and the upstream run on core 0, the load
 * generator on core 1 (taskset): the proxy then competes with its upstream, as it
 * does on a laptop, and never with wrk. Every child is stopped by its own pid, never by name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import { SINGLE_THREADED_GC_FLAG, startupNodeFlags } from '../../main/mesh/heap-tuning.js';
import type { AdminAddress, ChildMessage, ChildStats, ParentMessage } from './child-channel.js';

/** The core the servers share, and the load generator's. */
export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

export interface Pinning {
  /** taskset's path, or null to run unpinned. */
  taskset: string | null;
}

export function pinned(pinning: Pinning, core: number, file: string, args: string[]): [string, string[]] {
  return pinning.taskset ? [pinning.taskset, ['-c', String(core), file, ...args]] : [file, args];
}

/**
 * The V8 flags `meshdesk serve` gives itself where the bench runs it: bin/meshdesk.js picks them for
 * the cores the process may use, and a pinned server has one.
 */
export function meshStartupFlags(pinning: Pinning): readonly string[] {
  return startupNodeFlags(pinning.taskset ? 1 : os.availableParallelism());
}

/**
 * The flag every other Node process on the server core gets (the upstream, the bare proxies): the
 * one-core GC setting Meshdesk's own processes get, and none of Meshdesk's heap tuning. With V8's
 * default GC threads, a bare undici proxy's one-connection p99 was 3.6–9.2 ms in one run and
 * 1.1–1.4 ms in the next (2026-12-07): a baseline that moved with whether its helpers were busy,
 * where the target compares Meshdesk's tail with it.
 */
export function peerStartupFlags(pinning: Pinning): readonly string[] {
  return pinning.taskset ? [SINGLE_THREADED_GC_FLAG] : [];
}

export interface NodeChild {
  pid: number;
  port: number;
  note: string | null;
  /** A Meshdesk child's admin API (for the attached dashboard); absent for other children. */
  admin: AdminAddress | null;
  stats(): Promise<ChildStats>;
  stop(): Promise<void>;
}

export async function startNodeChild(pinning: Pinning, script: string, args: string[], execArgv: string[] = [], core = SERVER_CORE): Promise<NodeChild> {
  const [file, argv] = pinned(pinning, core, process.execPath, [...execArgv, script, ...args]);
  const child = spawn(file, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<Extract<ChildMessage, { type: 'ready' }>>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${script} exited with ${code} before it was ready`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.on('message', (message: ChildMessage) => {
      if (message.type !== 'ready') return;
      child.off('exit', onExit);
      resolve(message);
    });
  });
  return {
    pid: child.pid as number,
    port: ready.port,
    note: ready.note,
    admin: ready.admin ?? null,
    stats: () => ask(child),
    stop: () => stopChild(child, () => child.send({ type: 'stop' } satisfies ParentMessage)),
  };
}

function ask(child: ChildProcess): Promise<ChildStats> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`child ${child.pid} exited (${code}) instead of answering`));
    };
    const onMessage = (message: ChildMessage) => {
      if (message.type !== 'stats') return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      const { type: _type, ...stats } = message;
      resolve(stats);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ type: 'stats' } satisfies ParentMessage, (error) => error && reject(error));
  });
}

/** Asks politely, then kills this one child by pid after a grace period. */
export function stopChild(child: ChildProcess, ask: () => void, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      ask();
    } catch {
      child.kill('SIGTERM');
    }
  });
}

/** A port nobody listens on right now, for servers (nginx) that cannot report the one they got. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before listening on ${port}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
