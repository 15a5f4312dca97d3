/**
 * An instance's health as the service panel and the Services page show it (health-display.ts): the
 * badge, labelled "from traffic" when no check stands behind it, its reason, the check it comes
 * from, and what traffic says beside a check's verdict.
 */
import { healthDisplay, type HealthFacts } from './health-display.js';

/** `compact` (the service panel's narrow table): the check's description goes in the tooltip. */
export function HealthBadge({ instance, compact = false }: { instance: HealthFacts; compact?: boolean }) {
  const display = healthDisplay(instance);
  const title = compact && instance.healthCheck ? `${display.summary}\n${instance.healthCheck}` : display.summary;
  const trafficState = instance.traffic?.state ?? 'unknown';
  return (
    <>
      <span
        className={`health-badge instance-${display.state}${display.source === 'traffic' ? ' from-traffic' : ''}`}
        title={title}
        data-testid="instance-health"
        data-source={display.source}
      >
        {display.state}
      </span>
      {display.source === 'traffic' && (
        <span className="health-source muted small" title="No health check: this is what the traffic the mesh forwarded shows">
          {' '}
          from traffic
        </span>
      )}
      {display.source === 'none' ? (
        <div className="muted small">no health check{display.reason === null ? '' : ` · ${display.reason}`}</div>
      ) : (
        display.reason && <div className="muted small">{display.reason}</div>
      )}
      {instance.healthCheck && !compact && <div className="muted small">{instance.healthCheck}</div>}
      {display.trafficNote && (
        <div className={`small traffic-note instance-${trafficState}`} data-testid="instance-traffic-note">
          {display.trafficNote}
        </div>
      )}
    </>
  );
}
