/**
 * The guard flags of `meshdesk route all-to` and `route set` (`--guard [--for 60s] [--min-requests 20]
 * [--max-failure-rate 1%] [--max-p99-ratio 2] [--wait]`), the guard's line in `route show`, and the
 * wait for its outcome. The thresholds' defaults and limits are the contract's (shared/routes.ts):
 * flags left out are left out of the request, so the mesh applies the one set of defaults.
 */
import { Command, InvalidArgumentError } from 'commander';
import type { AdminClient } from '../../shared/admin-client.js';
import type { RouteGuard, RouteGuardInput, ServiceRoute } from '../../shared/routes.js';

export interface GuardOptions {
  guard?: boolean;
  for?: number;
  minRequests?: number;
  maxFailureRate?: number;
  maxP99Ratio?: number;
  wait?: boolean;
}

export function addGuardOptions(command: Command): Command {
  return command
    .option('--guard', 'watch the version that gains traffic and roll back at once if it does worse than the old one')
    .option('--for <duration>', 'how long the guard watches: 60s, 2m, 500ms (default 60s; implies --guard)', parseDuration)
    .option('--min-requests <n>', 'requests the new version must get before it is judged (default 20; implies --guard)', parseCount)
    .option(
      '--max-failure-rate <points>',
      'success-rate points the new version may lose against the baseline, e.g. 1% (default 1%; implies --guard)',
      parsePoints,
    )
    .option('--max-p99-ratio <ratio>', 'the new version’s p99 may reach this many times the baseline’s (default 2; implies --guard)', parseRatio)
    .option('--wait', 'wait until the guard passes or rolls back; exit 1 on a rollback');
}

/** The guard to send, or undefined without any guard flag. */
export function guardOf(options: GuardOptions): RouteGuardInput | undefined {
  const guard: RouteGuardInput = {};
  if (options.for !== undefined) guard.forSeconds = options.for;
  if (options.minRequests !== undefined) guard.minRequests = options.minRequests;
  if (options.maxFailureRate !== undefined) guard.maxFailureRate = options.maxFailureRate;
  if (options.maxP99Ratio !== undefined) guard.maxP99Ratio = options.maxP99Ratio;
  return options.guard || Object.keys(guard).length > 0 ? guard : undefined;
}

/** Polls the route until its guard is no longer watching; half a second apart is plenty for a person. */
export async function waitForGuard(client: AdminClient, service: string, everyMs = 500): Promise<ServiceRoute> {
  for (;;) {
    const route = (await client.call('listRoutes')).find((entry) => entry.service === service);
    if (!route) throw new Error(`unknown service ${service}`);
    if (route.guard?.state !== 'watching') return route;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** One line: `guard watching v2 (baseline v1): 12 of 20 requests, success 100%, until 12:01:30`. */
export function describeGuard(guard: RouteGuard): string {
  if (guard.state !== 'watching') return `guard ${guard.state}: ${guard.reason ?? ''}`;
  const { observed, thresholds } = guard;
  const baseline = guard.baselineVersion ? ` (baseline ${guard.baselineVersion})` : ' (no baseline traffic)';
  const success = observed.successRate === null ? '' : `, success ${Math.round(observed.successRate * 1000) / 10}%`;
  return `guard watching ${guard.version}${baseline}: ${observed.requests} of ${thresholds.minRequests} requests${success}, until ${guard.until}`;
}

export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * ({ ms: 0.001, s: 1, m: 60 }[match[2] ?? 's'] ?? 1) : NaN;
  if (!(seconds > 0)) throw new InvalidArgumentError(`not a duration: ${value} (e.g. 60s, 2m, 500ms)`);
  return seconds;
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`not a count of 1 or more: ${value}`);
  return Number(value);
}

/** `1%` or `1`: points of success rate. */
export function parsePoints(value: string): number {
  const points = Number(value.trim().replace(/%$/, ''));
  if (value.trim() === '' || !Number.isFinite(points) || points < 0 || points > 100) throw new InvalidArgumentError(`not a percentage from 0 to 100: ${value}`);
  return points;
}

function parseRatio(value: string): number {
  const ratio = Number(value.trim().replace(/x$/i, ''));
  if (!Number.isFinite(ratio) || ratio < 1) throw new InvalidArgumentError(`not a ratio of 1 or more: ${value}`);
  return ratio;
}
