/**
 * Folds the measured rounds into the gRPC bench's report: per row the median (and range over
 * rounds) of calls/s, latency, CPU and RSS; ratios to direct and to nginx, and what the proxy adds to
 * one call's p50 and p99 over direct, each computed within a round (both sides saw the same machine
 * load); the idle-channel memory table; and the targets, checked on Meshdesk with events on.
 * Medians, ranges and the target lines are the HTTP bench's (bench/proxy/report.ts).
 */
import { msText, ratioText, spread, spreadText, type Spread, type TargetCheck } from '../proxy/report.js';
import type { H2loadResult } from './h2load.js';
import { IDLE_TARGETS, type IdleChannelsRow, type IdleTarget } from './idle-round.js';
import type { RowMeasurement } from './measure.js';
import { ROW_IDS, ROW_LABELS, type RowId } from './rig.js';

export interface GrpcRowSummary {
  id: RowId;
  label: string;
  callsPerSecond: Spread | null;
  xDirect: Spread | null;
  xNginx: Spread | null;
  p50Ms: Spread | null;
  p99Ms: Spread | null;
  p50OneMs: Spread | null;
  p99OneMs: Spread | null;
  /** One call in flight: the row's p50 (p99) minus direct's, in the same round. */
  addedP50OneMs: Spread | null;
  addedP99OneMs: Spread | null;
  cpuUsPerCall: Spread | null;
  cpuUsPerCallOne: Spread | null;
  serverCpuUsPerCall: Spread | null;
  rssMb: Spread | null;
  /** h2load's errors at both settings, calls the server never answered, exchanges the mesh saw fail. */
  errors: number;
}

type Round = ReadonlyMap<RowId, RowMeasurement>;
const ms = (us: number) => us / 1000;

export function summarizeRounds(rounds: readonly RowMeasurement[][]): GrpcRowSummary[] {
  const byId: Round[] = rounds.map((round) => new Map(round.map((row) => [row.id, row])));
  return ROW_IDS.filter((id) => byId.some((round) => round.has(id))).map((id) => {
    /** `f` of this row in every round it ran, over rounds; `f` may look at other rows of the same round. */
    const over = (f: (row: RowMeasurement, round: Round) => number | null) => {
      const values = byId.map((round) => {
        const row = round.get(id);
        return row ? f(row, round) : null;
      });
      return spread(values.filter((value): value is number => value !== null && Number.isFinite(value)));
    };
    const ratio = (refId: RowId) => over((row, round) => row.throughput.callsPerSecond / (round.get(refId)?.throughput.callsPerSecond ?? NaN));
    const added = (pick: (latency: H2loadResult) => number) =>
      over((row, round) => {
        const direct = round.get('direct');
        return direct && id !== 'direct' ? ms(pick(row.latency) - pick(direct.latency)) : null;
      });
    const own = rounds.flat().filter((row) => row.id === id);
    return {
      id,
      label: ROW_LABELS[id],
      callsPerSecond: over((row) => row.throughput.callsPerSecond),
      xDirect: id === 'direct' ? null : ratio('direct'),
      xNginx: id === 'nginx' ? null : ratio('nginx'),
      p50Ms: over((row) => ms(row.throughput.p50Us)),
      p99Ms: over((row) => ms(row.throughput.p99Us)),
      p50OneMs: over((row) => ms(row.latency.p50Us)),
      p99OneMs: over((row) => ms(row.latency.p99Us)),
      addedP50OneMs: added((latency) => latency.p50Us),
      addedP99OneMs: added((latency) => latency.p99Us),
      cpuUsPerCall: over((row) => row.cpuUsPerCall),
      cpuUsPerCallOne: over((row) => row.cpuUsPerCallOne),
      serverCpuUsPerCall: over((row) => row.serverCpuUsPerCall),
      rssMb: over((row) => (row.rssBytes === null ? null : row.rssBytes / 2 ** 20)),
      errors: own.reduce((sum, row) => sum + row.throughput.errors + row.latency.errors + row.unserved + (row.meshFailures ?? 0), 0),
    };
  });
}

/** The targets: Meshdesk (events on) at ≥ 0.5x nginx's calls/s, adding ≤ 0.2 ms to one call's p50. */
export function grpcTargets(rows: readonly GrpcRowSummary[]): TargetCheck[] {
  const mesh = rows.find((row) => row.id === 'mesh-on');
  if (!mesh) return [];
  const checks: TargetCheck[] = [];
  const check = (what: string, value: Spread | null, target: string, met: (median: number) => boolean, text: (v: number) => string) => {
    if (value) checks.push({ what: `${mesh.label}: ${what}`, measured: spreadText(value, text), target, met: met(value.median) });
  };
  check('calls/s vs nginx', mesh.xNginx, '>= 0.50x', (v) => v >= 0.5, ratioText);
  check('added p50 at one call in flight', mesh.addedP50OneMs, '<= 0.20 ms', (v) => v <= 0.2, msText);
  return checks;
}

export function grpcTable(rows: readonly GrpcRowSummary[], setting: string): string {
  const fixed = (digits: number) => (v: number) => v.toFixed(digits);
  const columns: [string, (row: GrpcRowSummary) => string][] = [
    ['row', (row) => row.label],
    [`calls/s @${setting}`, (row) => spreadText(row.callsPerSecond, (v) => Math.round(v).toLocaleString('en-US'))],
    ['x direct', (row) => spreadText(row.xDirect, ratioText)],
    ['x nginx', (row) => spreadText(row.xNginx, ratioText)],
    [`p50 @${setting}`, (row) => spreadText(row.p50Ms, fixed(3))],
    [`p99 @${setting}`, (row) => spreadText(row.p99Ms, fixed(3))],
    ['p50 @1', (row) => spreadText(row.p50OneMs, fixed(3))],
    ['added p50 @1', (row) => spreadText(row.addedP50OneMs, fixed(3))],
    ['p99 @1', (row) => spreadText(row.p99OneMs, fixed(3))],
    ['added p99 @1', (row) => spreadText(row.addedP99OneMs, fixed(3))],
    [`proxy CPU µs/call @${setting}`, (row) => spreadText(row.cpuUsPerCall, fixed(1))],
    ['proxy CPU µs/call @1', (row) => spreadText(row.cpuUsPerCallOne, fixed(1))],
    ['server CPU µs/call', (row) => spreadText(row.serverCpuUsPerCall, fixed(1))],
    ['RSS MB', (row) => spreadText(row.rssMb, fixed(1))],
    ['errors', (row) => String(row.errors)],
  ];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(columns.map(([name]) => name)),
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((row) => line(columns.map(([, cell]) => cell(row)))),
  ].join('\n');
}

export const GRPC_TABLE_NOTE = [
  'Latencies in ms. Ratios and added latencies are computed within each round.',
  '"@1" is one connection with one call in flight; "added p50 @1" is the row\'s p50 minus direct\'s.',
  "proxy CPU µs/call is the row's process's own user+system time per call h2load counted (for direct, the server's):",
  'least sensitive to other load; server CPU µs/call is the server behind the proxy, at the throughput setting.',
  "RSS is the row's process after its runs.",
  "The bare node:http2 row is a proxy with nothing on its path but Node's own HTTP/2 (one multiplexed session to the server):",
  'what it adds at one call in flight is the floor for any proxy written on Node, Meshdesk included.',
  "errors: h2load's failed, errored, timed-out and non-2xx calls, calls h2load counted that the server never answered",
  '(a gRPC error is HTTP 200), and exchanges the mesh recorded as failed; anything but 0 means the row is broken, not slow.',
].join(' ');

/** One line per process measured: RSS before and after the idle channels, growth per 1,000, failures; median (range) over rounds. */
export function idleChannelsTable(rows: readonly IdleChannelsRow[]): string {
  const mb = (bytes: number) => bytes / 2 ** 20;
  const lines = ['| process | RSS before MB | RSS after MB | MB per 1,000 idle channels | failed calls |', '|---|---|---|---|---|'];
  for (const target of Object.keys(IDLE_TARGETS) as IdleTarget[]) {
    const own = rows.filter((row) => row.target === target);
    if (own.length === 0) continue;
    const failures = [...new Set(own.flatMap((row) => row.failures))];
    const cells = [
      IDLE_TARGETS[target],
      spreadText(spread(own.map((row) => mb(row.rssBeforeBytes))), (v) => v.toFixed(1)),
      spreadText(spread(own.map((row) => mb(row.rssAfterBytes))), (v) => v.toFixed(1)),
      `**${spreadText(spread(own.map((row) => row.mbPerThousand)), (v) => v.toFixed(1))}**`,
      `${own.reduce((sum, row) => sum + row.failedCalls, 0)}${failures.length > 0 ? ` (${failures.join('; ')})` : ''}`,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export const IDLE_CHANNELS_NOTE =
  'Each process is started fresh, gets a few warm-up channels, then N more HTTP/2 connections that each make one SayHello call ' +
  'and stay open and idle; the figure is the growth of its RSS (/proc VmRSS, median of 5 samples each side) per 1,000 channels. ' +
  'Meshdesk holds at most 1,024 client connections at once and drops new ones beyond (its maxConnections limit).';
