/**
 * What the Diffs page computes from the mesh's answers, kept pure and unit-tested: which services
 * to offer, when the pushed counts say the page's copy is stale, which pairs a chosen endpoint or
 * field stands for, and a pair's two answers in the form the side-by-side view compares (JSON
 * pretty-printed with its keys sorted, so two answers that list the same fields in another order
 * differ only where their values do).
 */
import type { WireBody } from '../../../shared/exchange.js';
import type { ServiceRoute } from '../../../shared/routes.js';
import { DEFAULT_DIFF_IGNORED_HEADERS, type DiffPair, type DiffPairsQuery, type DiffSide, type Difference, type ShadowView } from '../../../shared/shadow.js';
import { bodyView } from '../requests/body-format.js';
import type { SideBySideRow } from '../requests/line-diff.js';
import { target } from '../requests/cell-format.js';
import type { ComparedResponse } from '../requests/replay-comparison.js';
import { shadowTargets } from './shadow-summary.js';

/** Services to choose from: those with a rule in force, and any the page was pointed at or found diffs for. */
export function diffServiceChoices(shadows: readonly Pick<ShadowView, 'service'>[] | null, others: readonly (string | null)[]): string[] {
  const names = [...(shadows ?? []).map((view) => view.service), ...others].filter((name): name is string => name !== null && name !== '');
  return [...new Set(names)].sort((a, b) => a.localeCompare(b));
}

/**
 * Changes whenever the page's copy of a service's diffs may be stale: a rule started, replaced or
 * stopped, or pairs compared since. The push carries it at most once a second while pairs come in.
 */
export function shadowCountsKey(view: Pick<ShadowView, 'since' | 'to' | 'pairs' | 'differing'> | null): string {
  return view === null ? 'none' : `${view.since}|${view.to}|${view.pairs}|${view.differing}`;
}

/** What the user chose in the endpoints table: an endpoint, or one field of it. */
export interface PairSelection {
  method: string;
  pattern: string;
  /** A field that differed (or was noise); null: every pair of the endpoint. */
  field: string | null;
  noisy: boolean;
}

/** The pairs to fetch for a selection: a field that counted only differs in pairs judged different. */
export function pairsQuery(service: string, selection: PairSelection): DiffPairsQuery {
  const differing = selection.field !== null && !selection.noisy;
  return {
    service,
    method: selection.method,
    pattern: selection.pattern,
    limit: selection.field === null ? 50 : 200,
    ...(differing ? { differing: true } : {}),
  };
}

/** The fetched pairs the selection stands for: those where its field differs, newest first, at most `max`. */
export function pairsForSelection(pairs: readonly DiffPair[], selection: PairSelection, max = 50): DiffPair[] {
  const field = selection.field;
  const matching = field === null ? pairs : pairs.filter((pair) => pair.differences.some((difference) => difference.field === field));
  return matching.slice(0, max);
}

/** Differences that count in the verdict first, then the noise, each in the mesh's order. */
export function orderDifferences(differences: readonly Difference[]): Difference[] {
  return [...differences.filter((difference) => !difference.noisy), ...differences.filter((difference) => difference.noisy)];
}

/** The headers the comparison left out for this rule (lower case). */
export function ignoredHeaders(view: Pick<ShadowView, 'ignoreHeaders'> | null): Set<string> {
  return new Set([...DEFAULT_DIFF_IGNORED_HEADERS, ...(view?.ignoreHeaders ?? [])].map((name) => name.toLowerCase()));
}

/** A JSON text pretty-printed with every object's keys sorted; null when it is not JSON. */
export function sortedJsonText(text: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, entry]) => [key, sortKeys(entry)]));
}

/** A body as compared line by line: JSON with sorted keys, text as it is, a hex dump otherwise. */
export function comparableBody(body: WireBody | null, headers: readonly (readonly [string, string])[]): string {
  const view = bodyView(body, headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1]);
  if (view.kind === 'none') return '';
  if (view.kind === 'json') return sortedJsonText(view.text) ?? view.text;
  return view.text;
}

/** One side of a pair for the side-by-side view. */
export function comparedSide(pair: Pick<DiffPair, 'service'>, side: DiffSide, role: 'primary' | 'shadow'): ComparedResponse {
  return {
    heading: `${role === 'primary' ? 'Primary' : 'Shadow'} ${side.version}`,
    testId: role,
    status: side.status === 0 ? `no answer${side.error ? `: ${side.error}` : ''}` : side.status,
    servedBy: side.instance === null ? target(pair.service, side.version) : `${target(pair.service, side.version)} (${side.instance})`,
    ms: side.ms,
    headers: side.headers,
    bodyText: comparableBody(side.body, side.headers),
  };
}

/**
 * The service and version the empty state names in its example: the first of the user's own
 * services with two versions and one that takes less traffic, else the demo's `world` and `v2`.
 */
export function exampleShadow(routes: readonly Pick<ServiceRoute, 'service' | 'versions' | 'effectiveWeights'>[] | null): { service: string; version: string } {
  for (const route of [...(routes ?? [])].sort((a, b) => a.service.localeCompare(b.service))) {
    const version = shadowTargets(route)[0];
    if (version !== undefined) return { service: route.service, version };
  }
  return { service: 'world', version: 'v2' };
}

/** Services that could have diffs kept from an earlier rule: two versions or more, none in force now. */
export function servicesToProbe(routes: readonly Pick<ServiceRoute, 'service' | 'versions'>[] | null, known: readonly string[]): string[] {
  const skip = new Set(known);
  return (routes ?? []).filter((route) => route.versions.length >= 2 && !skip.has(route.service)).map((route) => route.service);
}

/** The last name in a field's path (`body.user.name` → `name`); null for an index, a header, a text line. */
function lastKey(field: string): string | null {
  if (!field.startsWith('body.')) return null;
  return /\.([^.[\]]+)$/.exec(field)?.[1] ?? null;
}

/**
 * Which changed body rows show only noise: both sides are the same JSON key (`"servedAt": …`), a key
 * that differed as noise in this pair and in no difference that counts. Line by line, a key name is
 * all there is to go on, so a key that is also the end of a counted difference is never quietened.
 */
export function noiseRows(differences: readonly Difference[]): (row: SideBySideRow) => boolean {
  const counted = new Set(differences.filter((difference) => !difference.noisy).map((difference) => lastKey(difference.field)));
  const noisy = new Set(differences.filter((difference) => difference.noisy).map((difference) => lastKey(difference.field)));
  const quiet = new Set([...noisy].filter((key): key is string => key !== null && !counted.has(key)));
  const keyOf = (text: string | undefined) => (text === undefined ? null : (/^\s*"((?:[^"\\]|\\.)*)":/.exec(text)?.[1] ?? null));
  return (row) => {
    if (row.left?.kind === 'same' || quiet.size === 0) return false;
    const left = keyOf(row.left?.text);
    const right = keyOf(row.right?.text);
    const key = left ?? right;
    if (key === null || !quiet.has(key)) return false;
    return left === null || right === null || left === right;
  };
}
