/**
 * Issue 21's targets, judged within each round like every ratio here: the Meshdesk rows with a
 * dashboard attached against bare undici (the engine Meshdesk is built on) and against the same
 * rows with no dashboard, the one-connection p99 against bare undici's, and each Meshdesk process's
 * RSS right after it started.
 */
import type { RowMeasurement } from './measure.js';
import { check, ratioText, spread, type RowSummary, type TargetCheck } from './report.js';
import { requestsPerSecond } from './wrk.js';

/** A dashboard row and the row it is the same as without the dashboard. */
const DASHBOARD_PAIRS = [
  ['mesh-host-dash', 'mesh-host-on'],
  ['mesh-forward-dash', 'mesh-forward-on'],
] as const;

/** Rows whose one-connection tail is held against bare undici's: full telemetry, with and without a dashboard. */
const P99_ROWS = ['mesh-host-on', 'mesh-forward-on', 'mesh-host-dash', 'mesh-forward-dash', 'mesh-host-alt', 'mesh-forward-alt'];

export function peerTargets(
  rounds: readonly RowMeasurement[][],
  rows: readonly RowSummary[],
  startRssMb: readonly { label: string; mb: number }[],
  upstream: string,
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const at = ` (${upstream} upstream)`;
  for (const [dashId, bareId] of DASHBOARD_PAIRS) {
    const dash = rows.find((row) => row.id === dashId);
    if (!dash) continue;
    if (dash.ratio.undici) checks.push(check(`${dash.label}: req/s vs bare undici${at}`, dash.ratio.undici, (v) => v >= 0.9, '>= 0.90x', ratioText));
    const cost = spread(
      rounds.flatMap((round) => {
        const withIt = round.find((row) => row.id === dashId);
        const without = round.find((row) => row.id === bareId);
        return withIt && without ? [requestsPerSecond(withIt.throughput) / requestsPerSecond(without.throughput)] : [];
      }),
    );
    if (cost) checks.push(check(`${dash.label}: req/s vs no dashboard${at}`, cost, (v) => v >= 0.9, '>= 0.90x (costs <= 10%)', ratioText));
  }
  for (const row of rows.filter((r) => P99_ROWS.includes(r.id))) {
    if (row.p99OneConnVsUndici)
      checks.push(check(`${row.label}: p99 at 1 connection vs bare undici${at}`, row.p99OneConnVsUndici, (v) => v <= 1.5, '<= 1.50x', ratioText));
  }
  for (const { label, mb } of startRssMb)
    checks.push({ what: `RSS right after start, ${label}${at}`, measured: `${mb.toFixed(1)} MB`, target: '<= 80 MB', met: mb <= 80 });
  return checks;
}
