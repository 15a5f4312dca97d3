/**
 * The threshold rules of one instance's health, kept apart from timers and sockets so they can be
 * read (and tested) on their own. An unchecked instance is decided by its first result, so a
 * service that is down at start leaves the pool at once; after that it takes `unhealthyThreshold`
 * failures in a row to leave and `healthyThreshold` passes in a row to return, so one slow answer
 * does not flap the pool.
 */
import type { InstanceHealth } from '../../../shared/model.js';
import type { ProbeResult } from './probe.js';

export interface Thresholds {
  healthyThreshold: number;
  unhealthyThreshold: number;
}

export interface Transition {
  to: InstanceHealth;
  reason: string;
}

export class HealthTracker {
  private state: InstanceHealth;
  private readonly thresholds: Thresholds;
  private streak = 0;

  constructor(initial: InstanceHealth, thresholds: Thresholds) {
    this.state = initial;
    this.thresholds = thresholds;
  }

  get health(): InstanceHealth {
    return this.state;
  }

  /** Folds in one probe result; returns the transition it caused, if any. */
  record(result: ProbeResult): Transition | null {
    const wanted: InstanceHealth = result.ok ? 'healthy' : 'failing';
    if (wanted === this.state) {
      this.streak = 0;
      return null;
    }
    if (this.state === 'unknown') return this.move(wanted, `${result.reason} (first check)`);
    this.streak += 1;
    const needed = result.ok ? this.thresholds.healthyThreshold : this.thresholds.unhealthyThreshold;
    if (this.streak < needed) return null;
    const what = result.ok ? (this.streak === 1 ? 'pass' : 'passes') : this.streak === 1 ? 'failure' : 'failures';
    return this.move(wanted, `${result.reason} (${this.streak} ${what} in a row)`);
  }

  private move(to: InstanceHealth, reason: string): Transition {
    this.state = to;
    this.streak = 0;
    return { to, reason };
  }
}
