/**
 * The real-mode helpers (upstreams, load generator) run as forked Node children talking over IPC:
 * their CPU is then their own (readable per pid in /proc) instead of competing with Playwright on
 * the benchmark's event loop, and a child exits when the channel closes, so a benchmark killed
 * half-way leaves nothing listening. Stopped by their own pid only.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { stopChild } from '../request-log/mesh-process.js';

export interface BenchChild {
  pid: number;
  /** The next IPC message from the child. */
  next<T>(timeoutMs?: number): Promise<T>;
  send(message: unknown): void;
  stop(): Promise<void>;
}

export function forkChild(script: string, args: string[] = []): BenchChild {
  // stdout is not used for data (IPC is), and inherited stderr shows a child's crash in the run's output.
  const child: ChildProcess = fork(script, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
  const queue: unknown[] = [];
  const waiters: ((message: unknown) => void)[] = [];
  child.on('message', (message) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const closed = once(child, 'close');
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  return {
    pid: child.pid,
    next<T>(timeoutMs = 30_000): Promise<T> {
      if (queue.length > 0) return Promise.resolve(queue.shift() as T);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${script} sent nothing within ${timeoutMs} ms`)), timeoutMs);
        void closed.then(() => reject(new Error(`${script} exited (${child.exitCode ?? child.signalCode})`)));
        waiters.push((message) => {
          clearTimeout(timer);
          resolve(message as T);
        });
      });
    },
    send(message: unknown): void {
      child.send(message as object);
    },
    stop: () => stopChild(child, closed, 5_000),
  };
}

/** For the child side: exit when the benchmark goes away (the IPC channel closes). */
export function exitWithParent(): void {
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}
