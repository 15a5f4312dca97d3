/**
 * Folds the measured rounds into what a reader needs: per row the median (and range when there were
 * several rounds) of throughput, latency, CPU and RSS, ratios to direct, to bare http-proxy and to
 * nginx computed within each round (both sides saw the same machine load), and the targets
 * (checkTargets) checked against the Meshdesk rows with events on. Rows driven by the Node generator are compared
 * only with each other (a generator changes what a proxy costs): their req/s and latency are not put
 * over wrk rows', and the CONNECT tunnel's CPU per request is put over the absolute URI's.
 */
import type { RowMeasurement } from './measure.js';
import { requestsPerSecond, errorCount } from './wrk.js';

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface RowSummary {
  id: string;
  label: string;
  rps: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  p50OneConnMs: Spread;
  p99OneConnMs: Spread;
  /** One-connection p50 minus direct's, measured in the same round. */
  addedP50OneConnMs: Spread | null;
  ratio: { direct: Spread | null; httpProxy: Spread | null; nginx: Spread | null; undici: Spread | null };
  /** The row's one-connection p99 over bare undici's, in the same round. */
  p99OneConnVsUndici: Spread | null;
  cpuUsPerRequest: Spread | null;
  upstreamCpuUsPerRequest: Spread | null;
  rssMb: Spread | null;
  errors: number;
}

/** One row's CPU per request over another's, both measured in each round. */
export interface CpuComparison {
  id: string;
  referenceId: string;
  label: string;
  referenceLabel: string;
  ratio: Spread;
  /** The most the ratio may be. */
  limit: number;
  targetName: string;
}

/** The CPU comparisons the report makes: a CONNECT tunnel should cost about what an absolute URI does. */
const CPU_COMPARISONS = [
  { id: 'mesh-tunnel-on', referenceId: 'mesh-forward-node-on', limit: 1.1, targetName: 'CONNECT tunnel CPU/req vs absolute URI (both by the Node generator)' },
] as const;

export interface TargetCheck {
  what: string;
  measured: string;
  target: string;
  met: boolean;
}

export function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? (sorted[Math.floor(middle)] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

export function summarize(rounds: readonly RowMeasurement[][], labels: Record<string, string>): RowSummary[] {
  const ids = [...new Set(rounds.flatMap((round) => round.map((row) => row.id)))];
  const inRound = (round: readonly RowMeasurement[], id: string) => round.find((row) => row.id === id);
  return ids.map((id) => {
    const own = rounds.map((round) => inRound(round, id)).filter((row): row is RowMeasurement => row !== undefined);
    const perRound = (f: (row: RowMeasurement, round: readonly RowMeasurement[]) => number | null) =>
      spread(
        rounds.flatMap((round) => {
          const row = inRound(round, id);
          const value = row ? f(row, round) : null;
          return value === null || !Number.isFinite(value) ? [] : [value];
        }),
      );
    const ratioTo = (refId: string) =>
      perRound((row, round) => {
        const ref = inRound(round, refId);
        return ref && ref.generator === row.generator ? row.rps / ref.rps : null;
      });
    const must = (value: Spread | null) => value ?? { median: NaN, min: NaN, max: NaN };
    return {
      id,
      label: labels[id] ?? id,
      rps: must(perRound((row) => requestsPerSecond(row.throughput))),
      p50Ms: must(perRound((row) => row.throughput.p50Us / 1000)),
      p99Ms: must(perRound((row) => row.throughput.p99Us / 1000)),
      p50OneConnMs: must(perRound((row) => row.latency.p50Us / 1000)),
      p99OneConnMs: must(perRound((row) => row.latency.p99Us / 1000)),
      addedP50OneConnMs:
        id === 'direct'
          ? null
          : perRound((row, round) => {
              const direct = inRound(round, 'direct');
              return direct && direct.generator === row.generator ? (row.latency.p50Us - direct.latency.p50Us) / 1000 : null;
            }),
      ratio: { direct: ratioTo('direct'), httpProxy: ratioTo('http-proxy'), nginx: ratioTo('nginx'), undici: ratioTo('undici') },
      p99OneConnVsUndici: perRound((row, round) => {
        const undici = inRound(round, 'undici');
        return undici && undici.generator === row.generator && undici.latency.p99Us > 0 ? row.latency.p99Us / undici.latency.p99Us : null;
      }),
      cpuUsPerRequest: perRound((row) => row.cpuUsPerRequest),
      upstreamCpuUsPerRequest: perRound((row) => row.upstreamCpuUsPerRequest),
      rssMb: perRound((row) => (row.rssBytes === null ? null : row.rssBytes / 2 ** 20)),
      errors: own.reduce((sum, row) => sum + errorCount(row.throughput) + errorCount(row.latency), 0),
    };
  });
}

export function compareCpu(rounds: readonly RowMeasurement[][], labels: Record<string, string>): CpuComparison[] {
  const comparisons: CpuComparison[] = [];
  for (const { id, referenceId, limit, targetName } of CPU_COMPARISONS) {
    const ratio = spread(
      rounds.flatMap((round) => {
        const row = round.find((r) => r.id === id)?.cpuUsPerRequest;
        const reference = round.find((r) => r.id === referenceId)?.cpuUsPerRequest;
        return row && reference ? [row / reference] : [];
      }),
    );
    if (ratio) comparisons.push({ id, referenceId, label: labels[id] ?? id, referenceLabel: labels[referenceId] ?? referenceId, ratio, limit, targetName });
  }
  return comparisons;
}

export function cpuComparisonLines(comparisons: readonly CpuComparison[]): string {
  return comparisons
    .map((c) => `CPU µs/req, ${c.label} over ${c.referenceLabel}, within each round: **${spreadText(c.ratio, fineRatioText)}** (limit ${ratioText(c.limit)}).`)
    .join('\n');
}

export function checkTargets(rows: readonly RowSummary[], comparisons: readonly CpuComparison[] = []): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const c of comparisons) checks.push(check(c.targetName, c.ratio, (v) => v <= c.limit, `<= ${ratioText(c.limit)}`, fineRatioText));
  for (const row of rows.filter((r) => r.id === 'mesh-host-on' || r.id === 'mesh-forward-on')) {
    if (row.ratio.nginx) checks.push(check(`${row.label}: req/s vs nginx`, row.ratio.nginx, (v) => v >= 0.3, '>= 0.30x', ratioText));
    if (row.ratio.httpProxy) checks.push(check(`${row.label}: req/s vs http-proxy`, row.ratio.httpProxy, (v) => v >= 1.8, '~1.8x', ratioText));
    if (row.addedP50OneConnMs) checks.push(check(`${row.label}: added p50 at 1 connection`, row.addedP50OneConnMs, (v) => v <= 0.2, '<= 0.20 ms', msText));
  }
  return checks;
}

export function check(what: string, value: Spread, ok: (v: number) => boolean, target: string, text: (v: number) => string): TargetCheck {
  return { what, measured: spreadText(value, text), target, met: ok(value.median) };
}

export const ratioText = (value: number) => `${value.toFixed(2)}x`;
/** For a ratio judged against a limit close to it: 1.101x must not print as the 1.10x it fails. */
const fineRatioText = (value: number) => `${value.toFixed(3)}x`;
export const msText = (value: number) => `${value.toFixed(3)} ms`;
const intText = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (digits: number) => (value: number) => value.toFixed(digits);

export function spreadText(value: Spread | null, text: (v: number) => string): string {
  if (!value || Number.isNaN(value.median)) return '–';
  if (value.min === value.max) return text(value.median);
  return `${text(value.median)} (${text(value.min)}–${text(value.max)})`;
}

export function markdownTable(rows: readonly RowSummary[], connections: number): string {
  const header = [
    'row',
    `req/s @${connections}`,
    'x direct',
    'x http-proxy',
    'x nginx',
    'x undici',
    `p50 @${connections}`,
    `p99 @${connections}`,
    'p50 @1',
    'added p50 @1',
    'p99 @1',
    'proxy CPU µs/req',
    'upstream CPU µs/req',
    'RSS MB',
    'errors',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const ms = fixed(3);
    lines.push(
      `| ${[
        row.label,
        spreadText(row.rps, intText),
        spreadText(row.ratio.direct, ratioText),
        spreadText(row.ratio.httpProxy, ratioText),
        spreadText(row.ratio.nginx, ratioText),
        spreadText(row.ratio.undici, ratioText),
        spreadText(row.p50Ms, ms),
        spreadText(row.p99Ms, ms),
        spreadText(row.p50OneConnMs, ms),
        spreadText(row.addedP50OneConnMs, ms),
        spreadText(row.p99OneConnMs, ms),
        spreadText(row.cpuUsPerRequest, fixed(1)),
        spreadText(row.upstreamCpuUsPerRequest, fixed(1)),
        spreadText(row.rssMb, fixed(1)),
        String(row.errors),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

export function targetLines(checks: readonly TargetCheck[]): string {
  return checks.map((c) => `- ${c.met ? 'MET    ' : 'NOT MET'} ${c.what}: ${c.measured} (target ${c.target})`).join('\n');
}

export const ROW_LABELS_NOTE =
  'Ratios are computed within each round. "added p50 @1" is the row\'s 1-connection p50 minus direct\'s. ' +
  'Rows marked "node generator" or "Node fetch shape" are driven by the bench\'s Node load generator, not wrk: they are compared only with each other, so their x columns and added p50 are blank. ' +
  "CPU µs/req is the process's own user+system time per request during the throughput run (least sensitive to other load); " +
  "RSS is the proxy process after its throughput run (the upstream's for direct).";
