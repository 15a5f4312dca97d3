/**
 * What one endpoint's pairs add up to, kept so that the verdicts always agree with the noise learnt
 * so far, however late it was learnt. A pair is counted under the set of fields it differed in
 * (their patterns, `body.items[*].ts`); `differing` is then the pairs whose set holds a field that
 * is not noise, recounted over the sets whenever the noise grows. Bodies are not kept here: a pair
 * costs a count in one set, and the sets are few because the same fields differ again and again.
 *
 * Bounded: at most MAX_FIELDS distinct fields and MAX_FIELD_SETS distinct sets. A pair that would
 * need more is counted with its verdict as recorded, which later noise can no longer undo.
 */
import type { EndpointDiffs, FieldCount } from '../../../../shared/shadow.js';
import type { RawDifference } from './answer.js';
import { fieldPattern } from './field-pattern.js';

export const MAX_FIELDS = 1000;
export const MAX_FIELD_SETS = 1000;
/** Every pair of an endpoint's first few is probed for noise, then one in this many. */
export const NOISE_PROBES_FIRST = 5;
export const NOISE_PROBE_EVERY = 10;

interface FieldSet {
  /** Field ids, sorted. */
  ids: number[];
  pairs: number;
}

export class EndpointTally {
  pairs = 0;
  differing = 0;
  lastPairId: number | null = null;
  private probesAsked = 0;
  /** Field patterns by id, with how many pairs each differed in and the newest such pair. */
  private readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly fieldPairs: number[] = [];
  private readonly fieldLastPair: (number | null)[] = [];
  private readonly noise = new Set<number>();
  private readonly sets = new Map<string, FieldSet>();
  /** Pairs that did not fit the bounds: counted with the verdict they were recorded with. */
  private frozenDiffering = 0;

  constructor(
    readonly method: string,
    readonly pattern: string,
  ) {}

  wantsNoiseProbe(): boolean {
    const asked = ++this.probesAsked;
    return asked <= NOISE_PROBES_FIRST || (asked - NOISE_PROBES_FIRST) % NOISE_PROBE_EVERY === 0;
  }

  get hasNoise(): boolean {
    return this.noise.size > 0;
  }

  /** Fields that differed between two answers of the primary's own version are noise from now on. */
  learnNoise(noise: readonly RawDifference[]): void {
    let grew = false;
    for (const difference of noise) {
      const id = this.intern(fieldPattern(difference.field));
      if (id === null || this.noise.has(id)) continue;
      this.noise.add(id);
      grew = true;
    }
    if (grew) this.recount();
  }

  isNoisy(field: string): boolean {
    const id = this.ids.get(fieldPattern(field));
    return id !== undefined && this.noise.has(id);
  }

  /** Counts a pair; answers whether it differs outside noise. */
  record(pairId: number, differences: readonly RawDifference[]): boolean {
    this.pairs++;
    this.lastPairId = pairId;
    const ids = new Set<number>();
    let unbounded = false;
    for (const difference of differences) {
      const id = this.intern(fieldPattern(difference.field));
      if (id === null) unbounded = true;
      else ids.add(id);
    }
    for (const id of ids) {
      this.fieldPairs[id] = (this.fieldPairs[id] ?? 0) + 1;
      this.fieldLastPair[id] = pairId;
    }
    const sorted = [...ids].sort((a, b) => a - b);
    const differs = unbounded || sorted.some((id) => !this.noise.has(id));
    if (differs) this.differing++;
    const set = unbounded ? undefined : this.fieldSet(sorted);
    if (set === undefined) {
      if (differs) this.frozenDiffering++;
    } else {
      set.pairs++;
    }
    return differs;
  }

  summary(): EndpointDiffs {
    const fields: FieldCount[] = [];
    const noisy: FieldCount[] = [];
    for (let id = 0; id < this.names.length; id++) {
      const count: FieldCount = { field: this.names[id] ?? '', pairs: this.fieldPairs[id] ?? 0, lastPairId: this.fieldLastPair[id] ?? null };
      if (this.noise.has(id)) noisy.push(count);
      else if (count.pairs > 0) fields.push(count);
    }
    return {
      method: this.method,
      pattern: this.pattern,
      pairs: this.pairs,
      differing: this.differing,
      fields: fields.sort(mostOftenFirst),
      noisy: noisy.sort(mostOftenFirst),
      lastPairId: this.lastPairId,
    };
  }

  private intern(field: string): number | null {
    const known = this.ids.get(field);
    if (known !== undefined) return known;
    if (this.names.length >= MAX_FIELDS) return null;
    const id = this.names.length;
    this.names.push(field);
    this.ids.set(field, id);
    return id;
  }

  private fieldSet(ids: number[]): FieldSet | undefined {
    const key = ids.join(',');
    const known = this.sets.get(key);
    if (known !== undefined || this.sets.size >= MAX_FIELD_SETS) return known;
    const set: FieldSet = { ids, pairs: 0 };
    this.sets.set(key, set);
    return set;
  }

  private recount(): void {
    let differing = this.frozenDiffering;
    for (const set of this.sets.values()) {
      if (set.ids.some((id) => !this.noise.has(id))) differing += set.pairs;
    }
    this.differing = differing;
  }
}

function mostOftenFirst(a: FieldCount, b: FieldCount): number {
  return b.pairs - a.pairs || a.field.localeCompare(b.field);
}
