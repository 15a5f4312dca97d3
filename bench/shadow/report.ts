/**
 * What the shadow benchmark concludes from its phases: the caller's latency without and with
 * shadowing, each condition's rounds merged into one histogram, the ratio with / without, the
 * target's verdict, and the shadow's own counts; as a markdown report and as the JSON kept in
 * bench/results/. Pure functions of the measured phases, so they can be read and checked apart.
 */
import type { ShadowView } from '../../shared/shadow.js';
import { mergedPercentiles } from './latency.js';
import type { LoadResult, Percentiles } from './load-result.js';

export type Condition = 'without' | 'with';

export interface Phase {
  round: number;
  condition: Condition;
  load: LoadResult;
  /** CPU the mesh and the two upstreams used over the phase (warm-up included), in ms, and per request sent in it. */
  cpu: {
    meshMs: number;
    upstreamsMs: number;
    meshUsPerRequest: number;
    /** The mesh's main thread alone (the callers' requests, not the copies' thread); null where /proc has no per-thread figures. */
    meshMainUsPerRequest: number | null;
    upstreamsUsPerRequest: number;
    /** Share of the server core's time other processes used during the phase; null when unpinned or unreadable. */
    othersOnServerCorePercent: number | null;
    seconds: number;
  };
  /** The rule's view read right after the phase, once no copy was pending; null without shadowing. */
  shadow: ShadowView | null;
}

export interface Ratio {
  p50: number;
  p99: number;
  p999: number;
}

export interface Verdict {
  what: string;
  measured: string;
  target: string;
  met: boolean;
}

/** The phases merged into one figure per condition. */
export interface Merged {
  without: Percentiles;
  with: Percentiles;
  /** With / without, of the merged histograms. */
  ratio: Ratio;
  /** How many phases of each condition were merged. */
  phases: { without: number; with: number };
}

export interface Summary {
  /** Every measured phase. */
  all: Merged;
  /** Only the phases in which other processes left the server core alone; null when every phase was quiet, or a condition had none. */
  quiet: Merged | null;
  /** What the target is judged on: the quiet phases when some phases were not and each condition has quiet ones, else all. */
  judgedOn: 'all' | 'quiet';
  /** With / without within each round (the two phases next to each other in time). */
  roundRatios: Ratio[];
  /** How much the rounds without shadowing differ among themselves: the run's own noise. */
  withoutSpread: { p50: [number, number]; p99: [number, number] };
  verdicts: Verdict[];
}

/** The target of issue 18: shadowing 100% of 1,000 req/s adds at most this to the caller's p50 and p99. */
export const MAX_ADDED = 0.05;
/** Past this share of the server core taken by other processes, a phase measured a shared machine. */
export const SHARED_CORE_PERCENT = 5;

export function isQuiet(phase: Phase): boolean {
  return (phase.cpu.othersOnServerCorePercent ?? 0) <= SHARED_CORE_PERCENT;
}

function merge(phases: readonly Phase[]): Merged {
  const of = (condition: Condition) => phases.filter((phase) => phase.condition === condition);
  const without = mergedPercentiles(of('without').map((phase) => phase.load.histogram));
  const withShadow = mergedPercentiles(of('with').map((phase) => phase.load.histogram));
  return { without, with: withShadow, ratio: ratioOf(withShadow, without), phases: { without: of('without').length, with: of('with').length } };
}

export function summarize(phases: readonly Phase[]): Summary {
  const all = merge(phases);
  const quietPhases = phases.filter(isQuiet);
  const quietOfEach = (['without', 'with'] as const).every((condition) => quietPhases.some((phase) => phase.condition === condition));
  // A phase whose core the neighbours took measures them: judge on the others when both conditions have some.
  const quiet = quietOfEach && quietPhases.length < phases.length ? merge(quietPhases) : null;
  const judged = quiet ?? all;
  const rounds = [...new Set(phases.map((phase) => phase.round))];
  const roundRatios = rounds.flatMap((round) => {
    const off = phases.find((phase) => phase.round === round && phase.condition === 'without');
    const on = phases.find((phase) => phase.round === round && phase.condition === 'with');
    return off && on ? [ratioOf(on.load.latencyMs, off.load.latencyMs)] : [];
  });
  const range = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];
  const withouts = phases.filter((phase) => phase.condition === 'without');
  const basis = quiet ? ` (quiet phases: ${quiet.phases.without} without, ${quiet.phases.with} with)` : '';
  const verdicts = (['p50', 'p99'] as const).map((key) => ({
    what: `caller ${key} with shadowing / without${basis}`,
    measured: `${judged.ratio[key].toFixed(3)}x (${judged.without[key]} → ${judged.with[key]} ms)`,
    target: `≤ ${(1 + MAX_ADDED).toFixed(2)}x`,
    met: judged.ratio[key] <= 1 + MAX_ADDED,
  }));
  return {
    all,
    quiet,
    judgedOn: quiet ? 'quiet' : 'all',
    roundRatios,
    withoutSpread: { p50: range(withouts.map((phase) => phase.load.latencyMs.p50)), p99: range(withouts.map((phase) => phase.load.latencyMs.p99)) },
    verdicts,
  };
}

function ratioOf(numerator: Percentiles, denominator: Percentiles): Ratio {
  const divide = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : NaN);
  return { p50: divide(numerator.p50, denominator.p50), p99: divide(numerator.p99, denominator.p99), p999: divide(numerator.p999, denominator.p999) };
}

export interface RunFacts {
  rate: number;
  seconds: number;
  warmup: number;
  rounds: number;
  connections: number;
  percent: number;
  /** About this many bytes of JSON in each answer; 0 for the small default answer. */
  bodyBytes: number;
  cpu: string;
  cores: number;
  node: string;
  /** Where each process was allowed to run (/proc Cpus_allowed_list). */
  pinning: Record<string, string>;
  notes: string[];
}

export function markdown(facts: RunFacts, phases: readonly Phase[], summary: Summary): string {
  const pinned = Object.entries(facts.pinning).map(([name, cpus]) => `${name} on CPU ${cpus}`);
  const lines = [
    `## Shadow traffic: the caller's latency without and with shadowing ${facts.percent}% (open loop, ${facts.rate} req/s)`,
    '',
    `${facts.rounds} rounds of ${facts.seconds} s per condition (each after ${facts.warmup} s of unmeasured warm-up), alternating which goes first; ` +
      `${facts.connections} keep-alive connections at most; answers of ${facts.bodyBytes > 0 ? `about ${facts.bodyBytes.toLocaleString('en-US')}` : 'about 150'} bytes of JSON; ${facts.cpu}, ${facts.cores} CPUs, Node ${facts.node}. Pinned: ${pinned.join(', ')}.`,
    '',
    ...latencyTable(phases, summary),
    '',
    `Within each round (with / without): ${summary.roundRatios.map((ratio, index) => `round ${index + 1} p50 ${ratio.p50.toFixed(3)}x, p99 ${ratio.p99.toFixed(3)}x`).join('; ')}.`,
    `The rounds without shadowing among themselves (the run's own noise): p50 ${summary.withoutSpread.p50.join('–')} ms, p99 ${summary.withoutSpread.p99.join('–')} ms.`,
    '',
    "The shadow's counts, per phase with shadowing (read from listShadows once no copy was pending; they include the phase's warm-up; the diffs are cleared after each phase):",
    '',
    ...shadowTable(facts, phases),
    '',
    '### Target',
    '',
    ...summary.verdicts.map((verdict) => `- ${verdict.met ? 'MET    ' : 'NOT MET'} ${verdict.what}: ${verdict.measured} (target ${verdict.target})`),
    '',
    summary.verdicts.every((verdict) => verdict.met)
      ? `**TARGET MET**: shadowing ${facts.percent}% of ${facts.rate} req/s adds ≤ ${MAX_ADDED * 100}% to the caller's p50 and p99.`
      : `**TARGET NOT MET**: shadowing ${facts.percent}% of ${facts.rate} req/s adds more than ${MAX_ADDED * 100}% to the caller's p50 or p99.`,
  ];
  if (facts.notes.length > 0) lines.push('', 'Notes:', ...facts.notes.map((note) => `- ${note}`));
  return lines.join('\n');
}

/** A markdown table; rows shorter than the header are padded with empty cells. */
function markdownTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  const line = (cells: readonly (string | number)[]) => `| ${header.map((_, index) => cells[index] ?? '').join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

function latencyTable(phases: readonly Phase[], summary: Summary): string[] {
  const header = [
    'round',
    'shadowing',
    'sent',
    'errors',
    'p50 ms',
    'p99 ms',
    'p99.9 ms',
    'max ms',
    'send lag p99 ms',
    'mesh CPU µs/req',
    'of it main thread',
    'upstreams CPU µs/req',
    'others on CPU 0',
  ];
  const measured = phases.map((phase) => {
    const { latencyMs, sendLagMs } = phase.load;
    const others = phase.cpu.othersOnServerCorePercent;
    return [
      phase.round + 1,
      phase.condition,
      phase.load.sent,
      phase.load.failed,
      latencyMs.p50,
      latencyMs.p99,
      latencyMs.p999,
      latencyMs.max,
      sendLagMs.p99,
      phase.cpu.meshUsPerRequest.toFixed(1),
      phase.cpu.meshMainUsPerRequest === null ? '-' : phase.cpu.meshMainUsPerRequest.toFixed(1),
      phase.cpu.upstreamsUsPerRequest.toFixed(1),
      others === null ? '-' : `${others}%`,
    ];
  });
  const mergedRows = (label: string, merged: Merged, chosen: (phase: Phase) => boolean, judged: boolean) => {
    const row = (condition: Condition) => {
      const of = phases.filter((phase) => phase.condition === condition && chosen(phase));
      const figures = merged[condition];
      const sent = of.reduce((total, phase) => total + phase.load.sent, 0);
      const failed = of.reduce((total, phase) => total + phase.load.failed, 0);
      return [label, condition, sent, failed, figures.p50, figures.p99, figures.p999, figures.max];
    };
    const { ratio } = merged;
    const bold = (text: string) => (judged ? `**${text}**` : text);
    return [
      row('without'),
      row('with'),
      [bold(`${label}: with / without`), '', '', '', bold(`${ratio.p50.toFixed(3)}x`), bold(`${ratio.p99.toFixed(3)}x`), `${ratio.p999.toFixed(3)}x`],
    ];
  };
  return markdownTable(header, [
    ...measured,
    ...mergedRows('all', summary.all, () => true, summary.judgedOn === 'all'),
    ...(summary.quiet ? mergedRows('quiet', summary.quiet, isQuiet, summary.judgedOn === 'quiet') : []),
  ]);
}

function shadowTable(facts: RunFacts, phases: readonly Phase[]): string[] {
  const header = [
    'round',
    'expected',
    'mirrored',
    'answered',
    'failed',
    'dropped',
    'skipped',
    'noise probes',
    'pairs',
    'differing',
    'shadow p50 ms',
    'shadow p99 ms',
  ];
  const rows = phases.flatMap((phase) => {
    const view = phase.shadow;
    if (!view) return [];
    const { stats } = view;
    const expected = Math.round(phase.load.rate * (facts.warmup + facts.seconds) * (view.percent / 100));
    return [
      [
        phase.round + 1,
        `≈ ${expected}`,
        stats.mirrored,
        stats.answered,
        stats.failed,
        stats.dropped,
        stats.skipped,
        stats.noiseProbes,
        view.pairs,
        view.differing,
        fixed(stats.p50Ms),
        fixed(stats.p99Ms),
      ],
    ];
  });
  return markdownTable(header, rows);
}

function fixed(ms: number | null): string {
  return ms === null ? '-' : ms.toFixed(2);
}
