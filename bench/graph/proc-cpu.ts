/**
 * CPU time a process has used, from /proc/<pid>/stat (Linux): on a two-core machine shared by the
 * proxy, the upstreams, the load generator and Chromium, how much each took tells whether a figure
 * measures the dashboard or a saturated machine. Zero where /proc is not readable.
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK), not readable from Node). */
const TICKS_PER_SECOND = 100;

export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces and parentheses: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Busy and total CPU seconds of the whole machine (all cores) so far, from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // user nice system idle iowait irq softirq steal; guest time is already inside user.
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = ticks.reduce((sum, value) => sum + value, 0);
    // idle and iowait are the 4th and 5th numbers.
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Resident memory of a process in MB, from /proc/<pid>/status (Linux); 0 where it is not readable. */
export function residentMegabytes(pid: number): number {
  try {
    const kilobytes = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kilobytes === undefined ? 0 : Math.round(Number(kilobytes) / 102.4) / 10;
  } catch {
    return 0;
  }
}
