/**
 * Every pair compared, per service and endpoint: the Diffs view, `meshdesk diff`, the admin API.
 *
 * Two kinds of memory, bounded apart. The counts (EndpointTally) cover every pair since the service
 * was last cleared, and stay small: a count per distinct set of differing fields. The pairs
 * themselves, with their bodies (already cut by the caller), are kept only for the newest
 * `maxPairs` across all services, to be opened side by side.
 *
 * Noise is learnt per endpoint and only grows until cleared, so a pair recorded as different may
 * turn out to differ only in noise. The counts are recounted when it grows; stored pairs keep
 * their differences as given and are re-marked against the current noise whenever they are read,
 * so the summary, the list and one pair always tell the same story.
 */
import type { DiffPair, DiffPairsQuery, DiffSide, Difference, ServiceDiffs, ShadowView } from '../../../../shared/shadow.js';
import type { RawDifference } from './answer.js';
import { pathPattern } from './endpoint-pattern.js';
import { EndpointTally } from './endpoint-tally.js';

export const DEFAULT_MAX_PAIRS = 200;
export const DEFAULT_MAX_ENDPOINTS_PER_SERVICE = 200;
/** Where a service's endpoints past the cap are counted, whatever their method. */
export const OTHER_PATTERN = '(other)';
export const OTHER_METHOD = '*';

export interface PairInput {
  service: string;
  method: string;
  path: string;
  /** Epoch ms the primary arrived. */
  at: number;
  primary: DiffSide;
  shadow: DiffSide;
  differences: RawDifference[];
  /** When a noise probe was sent: compareAnswers(primary, the second answer of the primary's version). */
  noise?: RawDifference[];
}

export interface DiffBookOptions {
  /** Pairs kept whole (with bodies) across all services; the oldest go first. */
  maxPairs?: number;
  /** Endpoints counted apart per service; the rest are counted under OTHER_PATTERN. */
  maxEndpointsPerService?: number;
}

interface StoredPair {
  pair: DiffPair;
  tally: EndpointTally;
}

interface ServiceTallies {
  endpoints: Map<string, EndpointTally>;
  other: EndpointTally | null;
}

export class DiffBook {
  private readonly maxPairs: number;
  private readonly maxEndpoints: number;
  /** Services recorded since the book began, even if cleared since. */
  private readonly services = new Map<string, ServiceTallies>();
  /** The newest pairs, in the order they were added (ids increase). */
  private readonly stored = new Map<number, StoredPair>();
  private nextId = 1;

  constructor(options: DiffBookOptions = {}) {
    this.maxPairs = options.maxPairs ?? DEFAULT_MAX_PAIRS;
    this.maxEndpoints = options.maxEndpointsPerService ?? DEFAULT_MAX_ENDPOINTS_PER_SERVICE;
  }

  /** Whether this request should also be sent a second time to the primary's version to learn noise: the first 5 pairs of each endpoint, then 1 in 10. */
  wantsNoiseProbe(service: string, method: string, path: string): boolean {
    return this.endpoint(service, method, path).wantsNoiseProbe();
  }

  /** Records a pair, learning `noise` first; returns the pair as stored (differences marked noisy, verdict). */
  add(input: PairInput): DiffPair {
    const tally = this.endpoint(input.service, input.method, input.path);
    if (input.noise !== undefined) tally.learnNoise(input.noise);
    const id = this.nextId++;
    const differences = markNoise(input.differences, tally);
    const differs = tally.record(id, input.differences);
    const pair: DiffPair = {
      id,
      service: input.service,
      method: input.method,
      path: input.path,
      pattern: tally.pattern,
      at: input.at,
      verdict: differs ? 'different' : 'same',
      primary: input.primary,
      shadow: input.shadow,
      differences,
    };
    this.stored.set(id, { pair, tally });
    for (const oldest of this.stored.keys()) {
      if (this.stored.size <= this.maxPairs) break;
      this.stored.delete(oldest);
    }
    return pair;
  }

  /** Null when the service was never recorded and has no rule in force. */
  summary(service: string, shadow: ShadowView | null): ServiceDiffs | null {
    const tallies = this.services.get(service);
    if (tallies === undefined && shadow === null) return null;
    const endpoints = allTallies(tallies)
      .filter((tally) => tally.pairs > 0 || tally.hasNoise)
      .map((tally) => tally.summary())
      .sort((a, b) => b.differing - a.differing || b.pairs - a.pairs || a.pattern.localeCompare(b.pattern) || a.method.localeCompare(b.method));
    const { pairs, differing } = this.totals(service);
    return { service, shadow, pairs, differing, endpoints };
  }

  /** Newest first. */
  pairs(query: DiffPairsQuery): DiffPair[] {
    const found: DiffPair[] = [];
    const newestFirst = [...this.stored.values()].reverse();
    for (const { pair, tally } of newestFirst) {
      if (found.length >= query.limit) break;
      if (pair.service !== query.service) continue;
      if (query.method !== undefined && !sameMethod(query.method, tally.method) && !sameMethod(query.method, pair.method)) continue;
      if (query.pattern !== undefined && query.pattern !== tally.pattern) continue;
      const current = remark(pair, tally);
      if (query.differing === true && current.verdict !== 'different') continue;
      found.push(current);
    }
    return found;
  }

  pair(id: number): DiffPair | null {
    const stored = this.stored.get(id);
    return stored === undefined ? null : remark(stored.pair, stored.tally);
  }

  totals(service: string): { pairs: number; differing: number } {
    let pairs = 0;
    let differing = 0;
    for (const tally of allTallies(this.services.get(service))) {
      pairs += tally.pairs;
      differing += tally.differing;
    }
    return { pairs, differing };
  }

  /** Forgets the service's pairs, counts and noise; answers how many pairs had been counted. */
  clear(service: string): number {
    const { pairs } = this.totals(service);
    for (const [id, { pair }] of this.stored) {
      if (pair.service === service) this.stored.delete(id);
    }
    const tallies = this.services.get(service);
    if (tallies !== undefined) {
      tallies.endpoints.clear();
      tallies.other = null;
    }
    return pairs;
  }

  private endpoint(service: string, method: string, path: string): EndpointTally {
    let tallies = this.services.get(service);
    if (tallies === undefined) {
      tallies = { endpoints: new Map(), other: null };
      this.services.set(service, tallies);
    }
    const pattern = pathPattern(path);
    const key = `${method} ${pattern}`;
    const known = tallies.endpoints.get(key);
    if (known !== undefined) return known;
    if (tallies.endpoints.size < this.maxEndpoints) {
      const tally = new EndpointTally(method, pattern);
      tallies.endpoints.set(key, tally);
      return tally;
    }
    tallies.other ??= new EndpointTally(OTHER_METHOD, OTHER_PATTERN);
    return tallies.other;
  }
}

function allTallies(tallies: ServiceTallies | undefined): EndpointTally[] {
  if (tallies === undefined) return [];
  const all = [...tallies.endpoints.values()];
  if (tallies.other !== null) all.push(tallies.other);
  return all;
}

function markNoise(differences: readonly RawDifference[], tally: EndpointTally): Difference[] {
  return differences.map((difference) => ({ ...difference, noisy: tally.isNoisy(difference.field) }));
}

/** The pair as the endpoint's current noise sees it: noise learnt since it was recorded may hide more. */
function remark(pair: DiffPair, tally: EndpointTally): DiffPair {
  if (!pair.differences.some((difference) => !difference.noisy && tally.isNoisy(difference.field))) return pair;
  const differences = pair.differences.map((difference) => (difference.noisy ? difference : { ...difference, noisy: tally.isNoisy(difference.field) }));
  return { ...pair, differences, verdict: differences.some((difference) => !difference.noisy) ? 'different' : 'same' };
}

function sameMethod(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}
