/**
 * The request-log benchmark's verdicts and its markdown: each target (listed in run.ts) checked
 * against the figures, with the figure beside it, so a reader sees how far from the line each one is.
 */
import type { LoadResult } from './load-generator.js';
import type { PageFigures } from './page-probes.js';
import type { TaskFigures } from './trace-tasks.js';

export interface Outcome {
  rate: number;
  seconds: number;
  connections: number;
  load: LoadResult;
  /** Requests to the bench service the mesh's telemetry counted. */
  meshLogged: number;
  logHeld: number;
  logCapacity: number;
  newestLogged: number | null;
  page: PageFigures;
  tasks: TaskFigures;
}

export interface Verdict {
  target: string;
  figure: string;
  pass: boolean;
}

export function judge(outcome: Outcome): Verdict[] {
  const { load, page } = outcome;
  const longest = Math.max(0, ...page.longTasks.map((task) => task.duration));
  const over100 = page.longTasks.filter((task) => task.duration > 100).length;
  const inputs = page.inputs.filter((input) => ['click', 'keydown', 'pointerdown', 'pointerup', 'keyup'].includes(input.name));
  const slowestInput = Math.max(0, ...inputs.map((input) => input.duration));
  const heap = page.memory.map((sample) => sample.jsHeapUsedMb);
  const nodes = page.memory.map((sample) => sample.domNodes);
  // Bounded: the second half of the run does not keep growing past the first half's high-water mark by more than half.
  const half = Math.floor(heap.length / 2);
  const firstHalfMax = Math.max(0, ...heap.slice(0, Math.max(1, half)));
  const secondHalfMax = Math.max(0, ...heap.slice(half));
  const answered = load.ok + load.failed;
  const seenByView = page.view.received + page.view.dropped;
  return [
    {
      target: 'no main-thread long task over 100 ms',
      figure:
        `longest ${Math.round(longest)} ms; ${page.longTasks.length} tasks over 50 ms, ${over100} over 100 ms ` +
        `(trace: longest task ${outcome.tasks.maxWallMs} ms wall, most CPU in one task ${outcome.tasks.maxCpuMs} ms; ` +
        `CPU of the long ones: ${outcome.tasks.long.map((task) => task.cpuMs).join(', ') || 'none'} ms; main thread busy ${outcome.tasks.cpuMs} ms in all)`,
      pass: over100 === 0,
    },
    {
      target: 'input latency under 100 ms',
      figure: `slowest ${Math.round(slowestInput)} ms over ${page.inputsSent} inputs (${inputs.length} took over 16 ms)`,
      pass: slowestInput < 100,
    },
    {
      target: 'page memory bounded',
      figure:
        `JS heap ${heap.join(' → ')} MB; DOM nodes (live and not yet collected) ${Math.min(...nodes)}–${Math.max(...nodes)}, ` +
        `last ${nodes.at(-1)}; ${Math.round(page.nodesAdded / outcome.seconds)} nodes inserted per second`,
      // Bounded: no growth trend in the heap, and the DOM comes back down (garbage is collected).
      pass: secondHalfMax <= firstHalfMax * 1.5 + 5 && Math.min(...nodes.slice(half)) <= Math.min(...nodes.slice(0, Math.max(1, half))) * 2 + 1_000,
    },
    {
      target: 'the mesh counted every request sent',
      figure: `${load.sent} sent (${load.skipped} not sent: generator over its in-flight cap), ${answered} answered (${load.failed} failed), mesh counted ${outcome.meshLogged}; log holds ${outcome.logHeld}/${outcome.logCapacity}`,
      pass: load.sent === outcome.meshLogged && load.failed === 0 && outcome.logHeld === Math.min(outcome.logCapacity, outcome.meshLogged),
    },
    {
      target: 'the view received every event (or was told it was dropped)',
      figure: `view received ${page.view.received}, stream dropped ${page.view.dropped}, rows held ${page.view.rows}; newest row ${page.view.newestRowId}, newest logged ${outcome.newestLogged}`,
      pass: seenByView >= outcome.meshLogged && page.view.newestRowId === outcome.newestLogged,
    },
  ];
}

export function markdown(outcome: Outcome, verdicts: Verdict[], machine: { cpu: string; cpus: number; load: number[] }): string {
  const { load } = outcome;
  const achieved = load.perSecond.slice(1, -1);
  const rates = achieved.length > 0 ? `${Math.min(...achieved)}–${Math.max(...achieved)} req/s sent per second` : '';
  return [
    `## Request log under load: ${outcome.rate} req/s × ${outcome.seconds} s (${outcome.connections} connections)`,
    '',
    `Machine: ${machine.cpus} × ${machine.cpu}, load average ${machine.load.map((value) => value.toFixed(2)).join(' ')} at the end. ${rates}.`,
    '',
    '| target | figure | result |',
    '|---|---|---|',
    ...verdicts.map((verdict) => `| ${verdict.target} | ${verdict.figure} | ${verdict.pass ? 'pass' : '**FAIL**'} |`),
    '',
    `Status counts: ${JSON.stringify(load.statuses)}.`,
  ].join('\n');
}
