/**
 * Loaded into a proxy under test with `--import`: records every garbage collection (start on the
 * system clock, duration, kind) and writes them as JSON to $MESHDESK_BENCH_GC_FILE when the process
 * gets SIGUSR2 (the bench asks after each measurement) and when it exits. Start times are
 * `performance.timeOrigin + startTime`, the same clock the sequential client stamps requests with,
 * so a slow request can be matched with a collection that ran while it waited.
 */
import { writeFileSync } from 'node:fs';
import { constants, PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';

export type GcRecord = [startMs: number, durationMs: number, kind: 'young' | 'full' | 'other'];

const file = process.env.MESHDESK_BENCH_GC_FILE;
const records: GcRecord[] = [];

function kindOf(entry: PerformanceEntry): GcRecord[2] {
  // A gc entry's detail carries its kind (Node's types leave `detail` off the base entry).
  const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
  if (kind === constants.NODE_PERFORMANCE_GC_MINOR) return 'young';
  if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) return 'full';
  return 'other';
}

if (file) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) records.push([performance.timeOrigin + entry.startTime, entry.duration, kindOf(entry)]);
  }).observe({ entryTypes: ['gc'] });
  const write = () => writeFileSync(file, JSON.stringify(records));
  process.on('SIGUSR2', write);
  process.on('exit', write);
}
