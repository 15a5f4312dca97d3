/**
 * How the graph tells the route in force from traffic history. The stats keep an edge for their
 * whole window (60 s) and its rate for 10 s, so after a reroute the old edge would keep its arrow
 * and its numbers for a minute, contradicting the "v1 0% / v2 100%" beside it. Instead:
 * - an edge whose version the route now sends nothing (no weight, no header rule) is *retired*:
 *   drawn as history (dashed, faded, no arrow) at once;
 * - an edge with no request for a few seconds is *idle* (faded, still), whatever its rate says;
 * - an edge with no request for half a minute is gone from the graph.
 */
import type { ServiceRoute } from '../../../shared/routes.js';
import type { SeriesStats } from '../../../shared/stats.js';

export const IDLE_AFTER_MS = 5_000;
export const GONE_AFTER_MS = 30_000;

export type Recency = 'live' | 'idle' | 'gone';

/** `at`: when the stats were taken. An edge whose last request is unknown counts by its rate alone. */
export function recencyOf(stats: Pick<SeriesStats, 'rps' | 'lastSeen'>, at: number): Recency {
  const quietFor = stats.lastSeen === null ? null : at - stats.lastSeen;
  if (quietFor !== null && quietFor > GONE_AFTER_MS) return 'gone';
  if (stats.rps === 0 || (quietFor !== null && quietFor > IDLE_AFTER_MS)) return 'idle';
  return 'live';
}

/** `service\nversion` of every version its route sends nothing: no share of the weights and no header rule. */
export function retiredVersions(routes: readonly ServiceRoute[] | null): Set<string> {
  const retired = new Set<string>();
  for (const route of routes ?? []) {
    const ruled = new Set((route.route?.headerRules ?? []).map((rule) => rule.version));
    for (const version of route.versions) {
      if ((route.effectiveWeights[version] ?? 0) === 0 && !ruled.has(version)) retired.add(`${route.service}\n${version}`);
    }
  }
  return retired;
}
