/**
 * Main-thread tasks from a Chromium trace ('toplevel' category: one event per task the renderer's
 * main thread ran, with its wall time `dur` and its thread CPU time `tdur`, in microseconds).
 *
 * Why both: the long-task API reports wall time, and on a shared two-core machine a 10 ms task
 * whose thread was descheduled shows up as a 150 ms long task. CPU time tells the page's own work
 * apart from waiting for a core, so a failed target can be read as "our code" or "the machine".
 */
export interface TaskFigures {
  tasks: number;
  /** Tasks over 50 ms of wall time, with their CPU time. */
  long: { wallMs: number; cpuMs: number }[];
  maxWallMs: number;
  maxCpuMs: number;
  /** Main-thread CPU time used over the trace, ms. */
  cpuMs: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export function mainThreadTasks(trace: Buffer): TaskFigures {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = new Set(
    events
      .filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
      .map((event) => `${event.pid}:${event.tid}`),
  );
  // The page's renderer is the main thread that ran the most.
  const byThread = new Map<string, TraceEvent[]>();
  for (const event of events) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.ph !== 'X' || !mains.has(thread) || !/RunTask$/.test(event.name) || event.dur === undefined) continue;
    byThread.set(thread, [...(byThread.get(thread) ?? []), event]);
  }
  const busiest = [...byThread.values()].sort((a, b) => total(b, 'dur') - total(a, 'dur'))[0] ?? [];
  const long = busiest.filter((event) => (event.dur ?? 0) > 50_000).map((event) => ({ wallMs: ms(event.dur), cpuMs: ms(event.tdur) }));
  return {
    tasks: busiest.length,
    long,
    maxWallMs: Math.max(0, ...busiest.map((event) => ms(event.dur))),
    maxCpuMs: Math.max(0, ...busiest.map((event) => ms(event.tdur))),
    cpuMs: Math.round(total(busiest, 'tdur') / 1000),
  };
}

function total(events: TraceEvent[], field: 'dur' | 'tdur'): number {
  return events.reduce((sum, event) => sum + (event[field] ?? 0), 0);
}

function ms(micros: number | undefined): number {
  return Math.round((micros ?? 0) / 100) / 10;
}
