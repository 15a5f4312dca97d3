/**
 * Memory and CPU time of a process as the kernel accounts them (/proc), so that every row is
 * measured the same way whether it is Node, nginx or anything else. CPU time per request is the
 * figure least disturbed by other processes on a shared machine: it counts only the proxy's own work.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcSample {
  rssBytes: number;
  /** User + system CPU time in ms since the process started. */
  cpuMs: number;
}

export function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

export function sampleProcess(pid: number, ticksPerSecond: number): ProcSample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
    const ticks = cpuTicks(`/proc/${pid}/stat`);
    if (!Number.isFinite(rssKb) || !Number.isFinite(ticks)) return null;
    return { rssBytes: rssKb * 1024, cpuMs: (ticks * 1000) / ticksPerSecond };
  } catch {
    return null;
  }
}

/** User + system CPU time in ms of one thread of a process (the main thread's id is the pid); null when unreadable. */
export function threadCpuMs(pid: number, threadId: number, ticksPerSecond: number): number | null {
  try {
    const ticks = cpuTicks(`/proc/${pid}/task/${threadId}/stat`);
    return Number.isFinite(ticks) ? (ticks * 1000) / ticksPerSecond : null;
  } catch {
    return null;
  }
}

/** utime + stime of a stat file, in clock ticks. */
function cpuTicks(statFile: string): number {
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const stat = readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
