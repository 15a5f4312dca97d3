/**
 * Canary splits as the panel edits them: whole percentages per version that always add up to 100.
 * Moving one version's slider takes the difference from (or gives it to) the other versions in
 * proportion to what they had, so a three-way split keeps its shape. Also the one-line summary
 * of a route shown in the history. Pure and unit-tested.
 */
import type { Route, ServiceRoute } from '../../../shared/routes.js';

export type Split = Record<string, number>;

/** The split in force, from the mesh's effective weights, as whole percentages summing to 100. */
export function splitOf(route: Pick<ServiceRoute, 'versions' | 'effectiveWeights'>): Split {
  return toPercentages(
    route.versions,
    route.versions.map((version) => route.effectiveWeights[version] ?? 0),
  );
}

/** Sets `version` to `percent` and rescales the others so the total stays 100. */
export function moveSlider(split: Split, version: string, percent: number): Split {
  const versions = Object.keys(split);
  const value = Math.min(100, Math.max(0, Math.round(percent)));
  const others = versions.filter((name) => name !== version);
  if (others.length === 0) return { [version]: 100 };
  const rest = 100 - value;
  const otherTotal = others.reduce((sum, name) => sum + (split[name] ?? 0), 0);
  const shares = others.map((name) => (otherTotal > 0 ? (split[name] ?? 0) / otherTotal : 1 / others.length));
  const scaled = toPercentages(others, shares, rest);
  return Object.fromEntries(versions.map((name) => [name, name === version ? value : (scaled[name] ?? 0)]));
}

/** Largest-remainder rounding: whole numbers that add up to `total` exactly. */
function toPercentages(versions: readonly string[], weights: readonly number[], total = 100): Split {
  const sum = weights.reduce((acc, weight) => acc + weight, 0);
  if (versions.length === 0) return {};
  if (sum <= 0) return Object.fromEntries(versions.map((version, index) => [version, index === 0 ? total : 0]));
  const exact = weights.map((weight) => (weight / sum) * total);
  const floors = exact.map(Math.floor);
  let left = total - floors.reduce((acc, value) => acc + value, 0);
  const order = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    floors[index] = (floors[index] ?? 0) + 1;
    left--;
  }
  return Object.fromEntries(versions.map((version, index) => [version, floors[index] ?? 0]));
}

/** The version all traffic goes to, or null for a real split. */
export function soleVersion(split: Split): string | null {
  const entries = Object.entries(split).filter(([, percent]) => percent > 0);
  return entries.length === 1 ? (entries[0]?.[0] ?? null) : null;
}

/** `all to v2`, `v1 90% · v2 10%`, `alias → search-next`; null is the default route. */
export function describeRoute(route: Route | null, versions: readonly string[]): string {
  if (route === null) return versions[0] ? `default (all to ${versions[0]})` : 'default';
  const parts: string[] = [];
  if (route.alias) parts.push(`alias → ${route.alias}`);
  if (route.weights) {
    const known = versions.length > 0 ? versions.filter((version) => version in (route.weights ?? {})) : Object.keys(route.weights);
    const names = [...known, ...Object.keys(route.weights).filter((version) => !known.includes(version))];
    const split = toPercentages(
      names,
      names.map((version) => route.weights?.[version] ?? 0),
    );
    const sole = soleVersion(split);
    parts.push(
      sole
        ? `all to ${sole}`
        : names
            .filter((version) => (split[version] ?? 0) > 0)
            .map((version) => `${version} ${split[version]}%`)
            .join(' · '),
    );
  }
  if (route.headerRules.length > 0) parts.push(`${route.headerRules.length} header rule${route.headerRules.length === 1 ? '' : 's'}`);
  return parts.join(', ') || 'default';
}
