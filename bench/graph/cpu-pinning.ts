/**
 * `--pin` for the real mode: the mesh's side (meshdesk serve, the upstream servers, the load
 * generator) confined to CPU 0, as bench:proxy confines the proxy and its upstream to one core.
 * Unpinned, on a two-core machine, the traffic can take both cores from the browser being measured.
 * Chromium itself is left to the scheduler: pinned alone to CPU 1 it was slower still (first render
 * 1.36–1.84 s against 1.23–1.32 s, 2026-12-07), as its renderer, GPU and network processes then share
 * one core. Linux's `taskset` (util-linux) sets affinity: `-a` every thread a process has, and the
 * threads it starts later inherit it.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export const MESH_CPU = 0;

/** Why pinning cannot be done here, or null when it can. */
export function pinningUnavailable(): string | null {
  if (os.availableParallelism() < 2) return `--pin needs two CPUs; this machine has ${os.availableParallelism()}`;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return '--pin needs taskset (Debian: util-linux)';
  }
  return null;
}

/** Pins a running process, every one of its threads, to `cpu`. */
export function pinProcess(pid: number, cpu: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}
