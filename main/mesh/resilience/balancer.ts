/**
 * Picks the instance of the chosen version a request goes to. The default is Linkerd's: power of
 * two choices over peak-EWMA — two random candidates, the one with the lower latency-times-load
 * cost (divided by its configured weight) wins — so fast, idle instances win without a central
 * ranking and without herding every request onto the single best one. Smooth weighted round-robin
 * (nginx's) is available, for demos that want an even spread.
 *
 * Candidates are the version's instances that are not failing their health checks and not ejected;
 * a retry avoids the instance that just failed whenever another is available. The balancer runs on
 * every request, so it allocates nothing: candidates go into scratch arrays it owns and reuses (a
 * pick is synchronous), and the details of the last pick are left on `last` for the caller to read
 * at once; the human-readable reason is written only when asked for.
 *
 * The scratch arrays are filled up to `count` and never shortened: V8 gives an array emptied with
 * `length = 0` a fresh backing store on its next push, which cost about 300 bytes of garbage per
 * request (both arrays, every pick; a sampling heap profile under load showed `pick` at 321 B).
 */
import type { Instance } from '../registry/registry.js';
import type { Ejection, VersionRef } from './ejection.js';
import type { InstanceBook, InstanceState } from './instance-book.js';
import type { ServicePolicy } from './service-policy.js';

/** What the last `pick` found, valid until the next one. */
export interface LastPick {
  state: InstanceState | null;
  /** Instances of the version that were skipped as ejected. */
  ejected: number;
  /** Ejections were ignored because they left nothing to route to. */
  panic: boolean;
  /** Why this instance, when the pick was asked to explain. */
  reason: string | null;
}

export class Balancer {
  readonly last: LastPick = { state: null, ejected: 0, panic: false, reason: null };
  /** The pick's candidates and their states, the first `count` of each (entries past it are stale). */
  private readonly candidates: Instance[] = [];
  private readonly states: InstanceState[] = [];
  private count = 0;

  constructor(
    private readonly book: InstanceBook,
    private readonly ejection: Ejection,
    private readonly random: () => number = Math.random,
  ) {}

  /** Null when every instance of the version fails its health check. */
  pick(ref: VersionRef, policy: ServicePolicy, avoid: string | null, explain: boolean): Instance | null {
    const now = performance.now();
    const { candidates, states, last } = this;
    this.count = 0;
    last.state = null;
    last.panic = false;
    last.reason = null;
    let ejected = 0;
    let refusing = 0;
    for (const instance of ref.instances) {
      if (instance.health === 'failing') continue;
      const state = this.book.state(instance.address);
      if (state.ejectedUntil !== 0) {
        if (now < state.ejectedUntil) {
          ejected++;
          continue;
        }
        this.ejection.release(ref, state, now);
      }
      if (state.refusedLately(now)) {
        refusing++;
        continue;
      }
      this.add(instance, state);
    }
    last.ejected = ejected;
    // Every instance refuses lately: try them all the same (the exchange may hold for them).
    if (this.count === 0 && refusing > 0) this.fill(ref, now, false);
    if (this.count === 0) {
      if (ejected === 0) return null;
      this.fill(ref, now, true);
      this.ejection.panic(ref, ejected, now);
      last.panic = true;
    }
    if (avoid !== null && this.count > 1) this.drop(avoid);
    if (policy.ejection.latencyOutliers) this.ejection.checkOutliers(ref, policy.ejection, now);
    const { count } = this;
    const index = count === 1 ? 0 : policy.balancer === 'round-robin' ? this.roundRobin() : this.powerOfTwo(now, explain);
    last.state = states[index] as InstanceState;
    if (explain && last.reason === null) last.reason = count === 1 ? onlyReason(ejected, last.panic) : `round-robin over ${count} instances`;
    return candidates[index] as Instance;
  }

  private add(instance: Instance, state: InstanceState): void {
    this.candidates[this.count] = instance;
    this.states[this.count] = state;
    this.count++;
  }

  private powerOfTwo(now: number, explain: boolean): number {
    const n = this.count;
    const a = Math.floor(this.random() * n);
    let b = Math.floor(this.random() * (n - 1));
    if (b >= a) b++;
    const costA = this.costOf(a, now);
    const costB = this.costOf(b, now);
    const winner = costA <= costB ? a : b;
    if (explain) {
      const loser = winner === a ? b : a;
      const state = this.states[winner] as InstanceState;
      this.last.reason =
        `peak-EWMA, lower cost of two: ${state.address} (${cost(Math.min(costA, costB))}, ${state.pending} in flight) ` +
        `over ${(this.states[loser] as InstanceState).address} (${cost(Math.max(costA, costB))})`;
    }
    return winner;
  }

  private costOf(index: number, now: number): number {
    return (this.states[index] as InstanceState).cost(now) / (this.candidates[index] as Instance).weight;
  }

  /** nginx's smooth weighted round-robin: even and interleaved, weights respected. */
  private roundRobin(): number {
    const { candidates, states } = this;
    let total = 0;
    let best = 0;
    for (let i = 0; i < this.count; i++) {
      const state = states[i] as InstanceState;
      const weight = (candidates[i] as Instance).weight;
      state.rrCurrent += weight;
      total += weight;
      if (state.rrCurrent > (states[best] as InstanceState).rrCurrent) best = i;
    }
    (states[best] as InstanceState).rrCurrent -= total;
    return best;
  }

  /** Every instance that passes its health check and is not ejected — or, in panic mode, ejected or not. */
  private fill(ref: VersionRef, now: number, panic: boolean): void {
    for (const instance of ref.instances) {
      if (instance.health === 'failing') continue;
      const state = this.book.state(instance.address);
      if (!panic && state.isEjected(now)) continue;
      this.add(instance, state);
    }
  }

  /** Takes the instance at `address` out of the candidates, keeping the others in order. */
  private drop(address: string): void {
    const { candidates, states } = this;
    let index = 0;
    while (index < this.count && (candidates[index] as Instance).address !== address) index++;
    if (index === this.count) return;
    for (let i = index + 1; i < this.count; i++) {
      candidates[i - 1] = candidates[i] as Instance;
      states[i - 1] = states[i] as InstanceState;
    }
    this.count--;
  }
}

function onlyReason(ejected: number, panic: boolean): string {
  if (panic) return 'panic: every available instance is ejected, so ejections are ignored';
  return ejected > 0 ? `the only instance not ejected (${ejected} ejected)` : 'the only instance available';
}

function cost(value: number): string {
  return value >= 1e9 ? 'no answer yet, busy' : `cost ${Math.round(value * 100) / 100}`;
}
