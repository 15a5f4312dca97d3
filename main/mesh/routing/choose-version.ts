/**
 * Which version of a service one request goes to, and why. Precedence, first match wins: the
 * per-request override header (`x-meshdesk-route: world=v2`), the route's header rules, its weights,
 * and finally the service's first version. The reason is kept for the request's decision trace.
 */
import { parseRouteOverride, ROUTE_OVERRIDE_HEADER, type HeaderRule, type Route } from '../../../shared/routes.js';
import type { IncomingHttpHeaders } from 'node:http';

/** Shared, so that a service without a route allocates nothing per request. */
const NO_RULES: readonly HeaderRule[] = [];

export interface VersionChoice {
  version: string;
  reason: string;
}

export function chooseVersion(
  service: string,
  versions: readonly string[],
  route: Route | undefined,
  headers: IncomingHttpHeaders,
  random: () => number = Math.random,
): VersionChoice | null {
  const override = headers[ROUTE_OVERRIDE_HEADER];
  if (typeof override === 'string') {
    const version = parseRouteOverride(override).get(service);
    if (version !== undefined && versions.includes(version)) return { version, reason: `override header ${ROUTE_OVERRIDE_HEADER}: ${service}=${version}` };
  }
  for (const rule of route?.headerRules ?? NO_RULES) {
    const value = headers[rule.header];
    const actual = Array.isArray(value) ? value.join(',') : value;
    if (actual !== undefined && (rule.value === undefined || actual === rule.value) && versions.includes(rule.version)) {
      return { version: rule.version, reason: `header rule ${rule.header}${rule.value === undefined ? '' : `: ${rule.value}`}` };
    }
  }
  const weights = route?.weights;
  if (weights) {
    let total = 0;
    for (const version of versions) total += weights[version] ?? 0;
    if (total > 0) {
      let point = random() * total;
      for (const version of versions) {
        const weight = weights[version] ?? 0;
        if (weight === 0) continue;
        point -= weight;
        if (point < 0) return { version, reason: `weight ${Math.round((weight / total) * 1000) / 10}%` };
      }
    }
  }
  const first = versions[0];
  return first === undefined ? null : { version: first, reason: 'default: first version' };
}
