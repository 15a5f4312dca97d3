/**
 * Shadow rules in words, for the service panel's switch and the Diffs page alike: which version
 * takes most traffic (it is the one compared with, so it gets no switch), what a rule copies
 * ("Copying 100% of v1's GET/HEAD/OPTIONS to v2") and how it fares ("340 compared · 8% differ ·
 * 12 dropped"). Pure, so both views say the same thing and the tests pin it down.
 */
import type { ChangeOrigin, ServiceRoute } from '../../../shared/routes.js';
import { SAFE_SHADOW_METHODS, type ShadowView } from '../../../shared/shadow.js';

/** The version taking the largest share of the service's traffic (the first declared on a tie); null without versions. */
export function busiestVersion(route: Pick<ServiceRoute, 'versions' | 'effectiveWeights'>): string | null {
  let best: string | null = null;
  let bestShare = -1;
  for (const version of route.versions) {
    const share = route.effectiveWeights[version] ?? 0;
    if (share > bestShare) {
      best = version;
      bestShare = share;
    }
  }
  return best;
}

/** The versions a switch is offered for: every one but the busiest, and none when there is only one. */
export function shadowTargets(route: Pick<ServiceRoute, 'versions' | 'effectiveWeights'>): string[] {
  if (route.versions.length < 2) return [];
  const busiest = busiestVersion(route);
  return route.versions.filter((version) => version !== busiest);
}

/** `GET/HEAD/OPTIONS`, then the methods the rule opted in. */
export function shadowMethods(view: Pick<ShadowView, 'methods'>): string {
  return [...new Set([...SAFE_SHADOW_METHODS, ...view.methods])].join('/');
}

/**
 * Whose requests are copied: the rule's `from`, or else the versions that take traffic now (the
 * rule copies what is routed to any version but `to`).
 */
export function shadowSources(view: Pick<ShadowView, 'from' | 'to'>, route: Pick<ServiceRoute, 'versions' | 'effectiveWeights'> | null): string[] {
  if (view.from !== null) return [view.from];
  if (!route) return [];
  return route.versions.filter((version) => version !== view.to && (route.effectiveWeights[version] ?? 0) > 0);
}

/** "Copying 100% of v1's GET/HEAD/OPTIONS to v2". */
export function describeShadow(view: ShadowView, route: Pick<ServiceRoute, 'versions' | 'effectiveWeights'> | null): string {
  const sources = shadowSources(view, route);
  const whose = (sources.length === 0 ? [view.service] : sources).map((name) => `${name}'s`).join(' and ');
  return `Copying ${formatPercentOf(view.percent)} of ${whose} ${shadowMethods(view)} to ${view.to}`;
}

/** Share of pairs that differ: `8%`, `<1%` when some but under one in a hundred, `—` before any. */
export function differingShare(differing: number, pairs: number): string {
  if (pairs === 0) return '—';
  const percent = (differing / pairs) * 100;
  if (differing > 0 && percent < 1) return '<1%';
  if (differing < pairs && percent > 99) return '>99%';
  return `${Math.round(percent)}%`;
}

/** "340 compared · 8% differ · 12 dropped": what was sent and what was lost only when something was. */
export function shadowCounts(view: Pick<ShadowView, 'pairs' | 'differing' | 'stats'>): string {
  return shadowCountParts(view).join(' · ');
}

/** The parts of shadowCounts, for a view that keeps each on one line. */
export function shadowCountParts(view: Pick<ShadowView, 'pairs' | 'differing' | 'stats'>): string[] {
  const parts = [`${view.pairs} compared`];
  if (view.pairs > 0) parts.push(`${differingShare(view.differing, view.pairs)} differ`);
  if (view.stats.failed > 0) parts.push(`${view.stats.failed} failed`);
  if (view.stats.dropped > 0) parts.push(`${view.stats.dropped} dropped`);
  if (view.stats.skipped > 0) parts.push(`${view.stats.skipped} skipped`);
  return parts;
}

const ORIGINS: Record<ChangeOrigin, string> = {
  config: 'meshdesk.yaml',
  api: 'the admin API',
  cli: 'the CLI',
  gui: 'the dashboard',
  rollback: 'a rollback',
  guard: 'a guard',
};

/** Where a rule was set, as "started … from the dashboard" says it. */
export function ruleOrigin(origin: ChangeOrigin): string {
  return ORIGINS[origin];
}

function formatPercentOf(percent: number): string {
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}
