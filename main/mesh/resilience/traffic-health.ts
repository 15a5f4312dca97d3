/**
 * Health without a check: what the traffic the proxy forwarded says of an instance. Each attempt's
 * outcome (an answer below 500, a 5xx, gRPC's UNAVAILABLE, a refused, reset or timed-out connection)
 * is noted on the instance's record; the verdict is derived only when someone reads it (the admin
 * API, the push stream's once-a-second check), so the proxy's hot path pays a few field updates per
 * attempt and allocates nothing. It is shown apart from the active check and never takes an
 * instance out of the pool: that is what ejection (ejection.ts) and the checks are for.
 *
 * The rule, in order:
 * 1. no outcome yet, or none for `idleMs` (TRAFFIC_IDLE_MS): unknown;
 * 2. the last FAIL_STREAK attempts failed, or every attempt in the recent window did: failing, with
 *    the last failure as the reason (`connection refused`, `HTTP 503`);
 * 3. at least FAIL_SHARE of the recent window's attempts failed (with MIN_SAMPLES of them): failing;
 * 4. otherwise healthy.
 */
import type { TrafficHealth } from '../../../shared/model.js';

/**
 * Quiet this long and the verdict is unknown again: a service that answered a minute ago may have
 * been stopped since, and one that refused may have been started; a minute is longer than the gaps
 * between a developer's manual requests, and short enough that a stale verdict does not linger.
 */
export const TRAFFIC_IDLE_MS = 60_000;
/**
 * The recent window is two buckets of this length (so 10 to 20 s): long enough to hold a handful of
 * a developer's requests, short enough that a recovered instance is not blamed for long.
 */
const BUCKET_MS = 10_000;
/** Three failures in a row is a pattern; one refusal or one 503 among successes is a blip. */
const FAIL_STREAK = 3;
/** Half or more of the recent attempts failing is not a healthy instance, even between successes. */
const FAIL_SHARE = 0.5;
/** Below this many recent attempts a share says too little. */
const MIN_SAMPLES = 4;

/** One instance's outcomes as the proxy saw them: counters only, updated in place. */
export class TrafficRecord {
  /** Start of the current bucket (`performance.now()`); 0 before the first outcome. */
  private bucketStart = 0;
  private ok = 0;
  private failed = 0;
  /** The bucket before the current one, when it ended less than a bucket ago. */
  private prevOk = 0;
  private prevFailed = 0;
  private streak = 0;
  /** `performance.now()` of the last outcome; 0 when none. */
  private lastAt = 0;
  private lastCause = '';

  /** One attempt's outcome; `cause` says what failed (ignored for a success). */
  note(ok: boolean, cause: string, now: number): void {
    if (now - this.bucketStart >= BUCKET_MS) this.rotate(now);
    this.lastAt = now;
    if (ok) {
      this.ok++;
      this.streak = 0;
      return;
    }
    this.failed++;
    this.streak++;
    this.lastCause = cause;
  }

  /** The verdict at `now` (same clock as `note`); reads, never changes, the record. */
  verdict(now: number, idleMs: number = TRAFFIC_IDLE_MS): TrafficHealth {
    if (this.lastAt === 0) return { state: 'unknown', reason: null, lastSeen: null };
    const lastSeen = Math.round(performance.timeOrigin + this.lastAt);
    if (now - this.lastAt >= idleMs) return { state: 'unknown', reason: `no traffic in the last ${describeSpan(idleMs)}`, lastSeen };
    const age = now - this.bucketStart;
    // The window as it stands now: the buckets that have not aged out since the last outcome.
    const ok = age < BUCKET_MS ? this.ok + this.prevOk : age < 2 * BUCKET_MS ? this.ok : 0;
    const failed = age < BUCKET_MS ? this.failed + this.prevFailed : age < 2 * BUCKET_MS ? this.failed : 0;
    if (this.streak >= FAIL_STREAK || (this.streak > 0 && ok === 0)) return { state: 'failing', reason: this.lastCause, lastSeen };
    if (failed >= FAIL_SHARE * (ok + failed) && ok + failed >= MIN_SAMPLES) {
      return { state: 'failing', reason: `${this.lastCause} (half or more of recent requests fail)`, lastSeen };
    }
    return { state: 'healthy', reason: null, lastSeen };
  }

  private rotate(now: number): void {
    const recent = now - this.bucketStart < 2 * BUCKET_MS;
    this.prevOk = recent ? this.ok : 0;
    this.prevFailed = recent ? this.failed : 0;
    this.ok = 0;
    this.failed = 0;
    this.bucketStart = now;
  }
}

/**
 * `60 s`, `300 ms`: the idle period, not the time since the last outcome, so that the reason stays
 * the same while an instance is quiet and the view is not republished every second.
 */
function describeSpan(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1_000)} s`;
}
