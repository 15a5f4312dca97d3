/**
 * How busy each CPU was, from /proc/stat's per-CPU lines (Linux), so a phase can say how much of the
 * server core went to processes that are not the bench's: on a shared machine (tests, a browser) the
 * mesh then waits for the CPU, and the caller's latency measures the neighbours, not shadowing.
 * Empty where /proc/stat is not readable.
 */
import { readFileSync } from 'node:fs';
import { clockTicksPerSecond } from '../proxy/proc-stats.js';

const ticksPerSecond = clockTicksPerSecond();

/** Busy milliseconds of each CPU since boot, by CPU number. */
export function busyMsPerCpu(): Map<number, number> {
  const busy = new Map<number, number>();
  for (const line of readProcStat().split('\n')) {
    const match = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    // user nice system idle iowait irq softirq steal; guest time is already inside user.
    const ticks = (match[2] ?? '').trim().split(/\s+/).slice(0, 8).map(Number);
    const total = ticks.reduce((sum, value) => sum + value, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    busy.set(Number(match[1]), ((total - idle) * 1_000) / ticksPerSecond);
  }
  return busy;
}

function readProcStat(): string {
  try {
    return readFileSync('/proc/stat', 'utf8');
  } catch {
    return '';
  }
}
