/**
 * The stats snapshot as the push stream carries it: each series as a row of figures in a fixed
 * order rather than an object with named fields, fractions rounded to what anyone reads. A reader
 * gets the same StatsSnapshot as getStats answers: `statsWireSchema` checks the rows and turns them
 * back into objects.
 *
 * Why: a dashboard is sent a snapshot about once a second, and the first one is on the path to its
 * first picture. For a 200-service / 600-edge mesh the named form is 868 KB, and checking it with
 * the object schemas took 65 ms on a cold start (Node 22); as rows it is about 250 KB, parsed, checked and
 * rebuilt in 4 ms. Rows are checked by hand (`isRow`), not figure by figure through zod: a row is a
 * flat list of numbers, and a schema per figure was the cost being removed.
 */
import { z } from 'zod';
import { retryBudgetSchema, type SeriesStats, type StatsSnapshot } from './stats.js';

/** Figures per series, in this order. */
const SERIES_FIELDS = [
  'rps',
  'requests',
  'failures',
  'successRate',
  'p50',
  'p95',
  'p99',
  'max',
  'bytesIn',
  'bytesOut',
  'retries',
  'inFlight',
  'totalRequests',
  'totalFailures',
  'totalBytesIn',
  'totalBytesOut',
  'totalRetries',
  'lastSeen',
] as const;
const SERIES_WIDTH = SERIES_FIELDS.length;
/** The figures that are null when there is nothing to say (no request in the window, or ever). */
const NULLABLE = new Set((['successRate', 'p50', 'p95', 'p99', 'max', 'lastSeen'] as const).map((name) => SERIES_FIELDS.indexOf(name)));

type Figure = number | null;
export type SeriesRow = Figure[];
/** [service, kind, …series] */
export type ServiceRow = [string, string, ...Figure[]];
/** [service, version, …series] */
export type VersionRow = [string, string, ...Figure[]];
/** [service, version or null, instance, …series] */
export type InstanceRow = [string, string | null, string, ...Figure[]];
/** [caller, service, version or null, …series] */
export type EdgeRow = [string, string, string | null, ...Figure[]];

/** Rates to 0.0001 req/s, latencies to 0.0001 ms, success rates to 0.0001 %: finer than any view shows. */
const round = (value: number, scale: number): number => Math.round(value * scale) / scale;
const roundOrNull = (value: number | null, scale: number): number | null => (value === null ? null : round(value, scale));

function seriesRow(head: (string | null)[], stats: SeriesStats): (string | null | number)[] {
  const { latencyMs: latency, totals } = stats;
  return [
    ...head,
    round(stats.rps, 1e4),
    stats.requests,
    stats.failures,
    roundOrNull(stats.successRate, 1e6),
    roundOrNull(latency.p50, 1e4),
    roundOrNull(latency.p95, 1e4),
    roundOrNull(latency.p99, 1e4),
    roundOrNull(latency.max, 1e4),
    stats.bytesIn,
    stats.bytesOut,
    stats.retries,
    stats.inFlight,
    totals.requests,
    totals.failures,
    totals.bytesIn,
    totals.bytesOut,
    totals.retries,
    stats.lastSeen,
  ];
}

export function encodeStatsSnapshot(snapshot: StatsSnapshot): StatsWire {
  return {
    at: snapshot.at,
    windowSeconds: snapshot.windowSeconds,
    rpsWindowSeconds: snapshot.rpsWindowSeconds,
    mesh: seriesRow([], snapshot.mesh) as SeriesRow,
    services: snapshot.services.map((entry) => seriesRow([entry.service, entry.kind], entry.stats) as ServiceRow),
    versions: snapshot.versions.map((entry) => seriesRow([entry.service, entry.version], entry.stats) as VersionRow),
    instances: snapshot.instances.map((entry) => seriesRow([entry.service, entry.version, entry.instance], entry.stats) as InstanceRow),
    edges: snapshot.edges.map((entry) => seriesRow([entry.caller, entry.service, entry.version], entry.stats) as EdgeRow),
    ...(snapshot.retryBudgets ? { retryBudgets: snapshot.retryBudgets } : {}),
  };
}

/**
 * Whether `value` is a row of `names` names (strings, or null at index `nullableName`) followed by
 * one series. Integers are not told apart from fractions: the named schema's `.int()`
 * checks were the mesh's own promise, and a reader only needs numbers.
 */
function isRow(value: unknown, names: number, nullableName = -1): boolean {
  if (!Array.isArray(value) || value.length !== names + SERIES_WIDTH) return false;
  for (let index = 0; index < names; index++) {
    const name: unknown = value[index];
    if (typeof name !== 'string' && !(name === null && index === nullableName)) return false;
  }
  for (let index = 0; index < SERIES_WIDTH; index++) {
    const figure: unknown = value[names + index];
    if (typeof figure === 'number' ? !Number.isFinite(figure) : !(figure === null && NULLABLE.has(index))) return false;
  }
  return true;
}

/**
 * One check per list of rows, not one zod schema per row: zod's own pass over 2,400 elements cost
 * more than the rows' checks and JSON.parse together. A refusal names the first row that does not fit.
 */
const rowsSchema = <Row>(names: number, description: string, nullableName = -1) => {
  const fits = (row: unknown) => isRow(row, names, nullableName);
  return z.custom<Row[]>((value) => Array.isArray(value) && value.every(fits), {
    error: (issue) => {
      const rows = issue.input;
      const first = Array.isArray(rows) ? rows.findIndex((row) => !fits(row)) : -1;
      return `${first >= 0 ? `row ${first} is not` : 'expected a list of rows'} [${description}, …${SERIES_WIDTH} figures]`;
    },
  });
};

const meshRowSchema = z.custom<SeriesRow>((value) => isRow(value, 0), { error: `expected a row of ${SERIES_WIDTH} figures` });

/** Only after isRow: every figure is a number, or null where NULLABLE allows it. */
function seriesStats(row: readonly unknown[], at: number): SeriesStats {
  const figure = (offset: number) => row[at + offset] as number;
  const figureOrNull = (offset: number) => row[at + offset] as number | null;
  return {
    rps: figure(0),
    requests: figure(1),
    failures: figure(2),
    successRate: figureOrNull(3),
    latencyMs: { p50: figureOrNull(4), p95: figureOrNull(5), p99: figureOrNull(6), max: figureOrNull(7) },
    bytesIn: figure(8),
    bytesOut: figure(9),
    retries: figure(10),
    inFlight: figure(11),
    totals: { requests: figure(12), failures: figure(13), bytesIn: figure(14), bytesOut: figure(15), retries: figure(16) },
    lastSeen: figureOrNull(17),
  };
}

/** Checks a snapshot in rows and gives it back with named fields, as StatsSnapshot. */
export const statsWireSchema = z
  .object({
    at: z.number(),
    windowSeconds: z.number().int(),
    rpsWindowSeconds: z.number().int(),
    mesh: meshRowSchema,
    services: rowsSchema<ServiceRow>(2, 'service, kind'),
    versions: rowsSchema<VersionRow>(2, 'service, version'),
    instances: rowsSchema<InstanceRow>(3, 'service, version or null, instance', 1),
    edges: rowsSchema<EdgeRow>(3, 'caller, service, version or null', 2),
    retryBudgets: z.array(retryBudgetSchema).optional(),
  })
  .transform((wire): StatsSnapshot => ({
    at: wire.at,
    windowSeconds: wire.windowSeconds,
    rpsWindowSeconds: wire.rpsWindowSeconds,
    mesh: seriesStats(wire.mesh, 0),
    services: wire.services.map((row) => ({ service: row[0], kind: row[1], stats: seriesStats(row, 2) })),
    versions: wire.versions.map((row) => ({ service: row[0], version: row[1], stats: seriesStats(row, 2) })),
    instances: wire.instances.map((row) => ({ service: row[0], version: row[1], instance: row[2], stats: seriesStats(row, 3) })),
    edges: wire.edges.map((row) => ({ caller: row[0], service: row[1], version: row[2], stats: seriesStats(row, 3) })),
    ...(wire.retryBudgets ? { retryBudgets: wire.retryBudgets } : {}),
  }));

export type StatsWire = z.input<typeof statsWireSchema>;
