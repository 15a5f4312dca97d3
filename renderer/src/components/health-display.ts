/**
 * What an instance's health looks like on every view (the graph's dots, the service panel, the
 * Services page), from the two things the mesh knows: its active check and the traffic it
 * forwarded there. One rule, so the three views never disagree:
 * - with a check, the check decides the badge, and what traffic says is shown beside it;
 * - without one, traffic decides, labelled as such: an instance refusing every connection is no
 *   longer a grey "unknown";
 * - with neither (no check, no recent traffic), it is unknown, and says why.
 */
import type { InstanceHealth, InstanceView } from '../../../shared/model.js';

export type HealthSource = 'check' | 'traffic' | 'none';

export interface HealthDisplay {
  /** The badge's and the dot's state. */
  state: InstanceHealth;
  /** Where `state` comes from. */
  source: HealthSource;
  /** Shown under the badge: the check's or the traffic's reason. */
  reason: string | null;
  /** Beside a check's verdict, what traffic says (`traffic: failing · HTTP 503`); null when it says nothing. */
  trafficNote: string | null;
  /** Everything in one line, for tooltips and screen readers. */
  summary: string;
}

export type HealthFacts = Pick<InstanceView, 'health' | 'healthReason' | 'healthCheck' | 'traffic'>;

export function healthDisplay(instance: HealthFacts): HealthDisplay {
  const { traffic } = instance;
  const trafficKnown = traffic !== undefined && traffic.state !== 'unknown';
  if (instance.healthCheck !== null) {
    const trafficNote = trafficKnown ? `traffic: ${traffic.state}${traffic.reason === null ? '' : ` · ${traffic.reason}`}` : null;
    const check = `check: ${instance.health}${instance.healthReason === null ? '' : ` — ${instance.healthReason}`}`;
    return {
      state: instance.health,
      source: 'check',
      reason: instance.healthReason,
      trafficNote,
      summary: trafficNote === null ? check : `${check} · ${trafficNote}`,
    };
  }
  if (trafficKnown) {
    const why = traffic.reason === null ? '' : ` (${traffic.reason})`;
    return {
      state: traffic.state,
      source: 'traffic',
      reason: traffic.reason,
      trafficNote: null,
      summary: `${traffic.state} from traffic${why}; no health check`,
    };
  }
  // A mesh older than health from traffic sends none: then nothing is claimed about the traffic.
  const reason = traffic === undefined ? null : (traffic.reason ?? 'no traffic yet');
  return {
    state: 'unknown',
    source: 'none',
    reason,
    trafficNote: null,
    summary: `unknown: no health check${reason === null ? '' : `, ${reason}`}`,
  };
}
