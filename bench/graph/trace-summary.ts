/**
 * Reads a Chromium trace of the dashboard (profile.ts) down to what a fix needs: the page's main
 * thread, its tasks over 50 ms, and inside those tasks the time by kind (style, layout, paint, JS…,
 * self time of the timeline events) and the JS by function (self time from the sampling profiler's
 * chunks). Read an unminified build (`vite build --minify false`) to see real function names.
 */

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: {
    name?: string;
    data?: {
      cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
      timeDeltas?: number[];
      startTime?: number;
    };
  };
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url?: string; lineNumber: number };
}

const LONG_TASK_US = 50_000;

interface Span {
  start: number;
  end: number;
}

export function summariseTrace(events: TraceEvent[]): string[] {
  const main = mainThread(events);
  if (!main) return ['no renderer main thread in the trace'];
  const onMain = events.filter((event) => event.pid === main.pid && event.tid === main.tid && event.ph === 'X' && event.dur !== undefined);
  const tasks = onMain.filter((event) => event.name === 'RunTask' || event.name === 'ThreadControllerImpl::RunTask');
  const long = tasks.filter((task) => (task.dur ?? 0) > LONG_TASK_US).sort((a, b) => a.ts - b.ts);
  const spans: Span[] = long.map((task) => ({ start: task.ts, end: task.ts + (task.dur ?? 0) }));
  const busy = tasks.reduce((sum, task) => sum + (task.dur ?? 0), 0);
  const first = Math.min(...onMain.map((event) => event.ts));
  const lines = [
    `main thread busy ${ms(busy)} in ${tasks.length} tasks; ${long.length} over 50 ms: ${long.map((task) => `${ms(task.dur ?? 0)} @${ms(task.ts - first)}`).join(', ')}`,
    '',
    'inside the long tasks, by timeline event (self time):',
  ];
  lines.push(...top(selfTimeByName(onMain, spans), 14));
  lines.push('', 'inside the long tasks, JS by function (self time, sampled):');
  const js = jsTime(events, main, spans);
  lines.push(...top(js.self, 30));
  lines.push('', 'inside the long tasks, JS by function (inclusive: the function or anything it called, sampled):');
  lines.push(...top(js.inclusive, Number(process.env.TRACE_TOP ?? 40), false));
  return lines;
}

function mainThread(events: TraceEvent[]): { pid: number; tid: number } | null {
  // The renderer's main thread with the most events: the page under test (not an extension or a worker).
  const counts = new Map<string, number>();
  for (const event of events) {
    if (event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain') counts.set(`${event.pid}:${event.tid}`, 0);
  }
  for (const event of events) {
    const key = `${event.pid}:${event.tid}`;
    const count = counts.get(key);
    if (count !== undefined) counts.set(key, count + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (!best) return null;
  const [pid = 0, tid = 0] = best[0].split(':').map(Number);
  return { pid, tid };
}

function within(spans: readonly Span[], at: number): boolean {
  return spans.some((span) => at >= span.start && at < span.end);
}

/** Self time of each timeline event name (its duration minus its direct children's). */
function selfTimeByName(events: TraceEvent[], spans: readonly Span[]): Map<string, number> {
  const sorted = events.filter((event) => within(spans, event.ts)).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const totals = new Map<string, number>();
  const stack: { event: TraceEvent; end: number; children: number }[] = [];
  const close = (until: number) => {
    while (stack.length > 0 && (stack[stack.length - 1]?.end ?? 0) <= until) {
      const done = stack.pop();
      if (!done) break;
      totals.set(done.event.name, (totals.get(done.event.name) ?? 0) + (done.event.dur ?? 0) - done.children);
    }
  };
  for (const event of sorted) {
    close(event.ts);
    const parent = stack[stack.length - 1];
    if (parent) parent.children += event.dur ?? 0;
    stack.push({ event, end: event.ts + (event.dur ?? 0), children: 0 });
  }
  close(Infinity);
  return totals;
}

/** Sampled JS time by function, self and inclusive, from the profiler's chunks on the main thread. */
function jsTime(
  events: TraceEvent[],
  main: { pid: number; tid: number },
  spans: readonly Span[],
): { self: Map<string, number>; inclusive: Map<string, number> } {
  const profiles = new Map<string, { nodes: Map<number, ProfileNode>; time: number }>();
  const totals = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const event of events) {
    if (event.pid !== main.pid) continue;
    const data = event.args?.data;
    if (event.name === 'Profile' && data?.startTime !== undefined) profiles.set(event.id ?? '', { nodes: new Map(), time: data.startTime });
    if (event.name !== 'ProfileChunk' || !data) continue;
    const profile = profiles.get(event.id ?? '');
    if (!profile) continue;
    for (const node of data.cpuProfile?.nodes ?? []) profile.nodes.set(node.id, node);
    const samples = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    samples.forEach((sample, index) => {
      const delta = deltas[index] ?? 0;
      profile.time += delta;
      if (!within(spans, profile.time)) return;
      const node = profile.nodes.get(sample);
      if (!node) return;
      const weight = Math.max(0, deltas[index + 1] ?? delta);
      const name = frameName(node);
      totals.set(name, (totals.get(name) ?? 0) + weight);
      const seen = new Set<string>();
      for (let at: ProfileNode | undefined = node; at; at = at.parent === undefined ? undefined : profile.nodes.get(at.parent)) {
        const caller = frameName(at);
        if (seen.has(caller)) continue;
        seen.add(caller);
        inclusive.set(caller, (inclusive.get(caller) ?? 0) + weight);
      }
    });
  }
  return { self: totals, inclusive };
}

function frameName({ callFrame: frame }: ProfileNode): string {
  const file = frame.url?.split('/').pop() ?? '';
  return `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.lineNumber + 1}` : ''}`;
}

function top(totals: Map<string, number>, count: number, shares = true): string[] {
  const all = shares ? [...totals.values()].reduce((sum, value) => sum + value, 0) : Math.max(...totals.values());
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, time]) => `  ${ms(time).padStart(9)} ${((100 * time) / (all || 1)).toFixed(1).padStart(5)} %  ${name}`);
}

function ms(microseconds: number): string {
  return `${(microseconds / 1000).toFixed(1)} ms`;
}
