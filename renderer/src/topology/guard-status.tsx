/**
 * The guard of a service's last route change, in the service panel: watching (with its progress
 * towards the minimum of requests and the time left), passed, or rolled back with the reason. What
 * it shows is the mesh's guard view (shared/routes.ts), pushed with the routes.
 */
import type { GuardSample, RouteGuard } from '../../../shared/routes.js';

const STATE_LABEL: Record<RouteGuard['state'], string> = { watching: 'watching', passed: 'passed', 'rolled-back': 'rolled back' };

export function GuardStatus({ guard, now }: { guard: RouteGuard; now: number }) {
  const left = Math.max(0, Math.ceil((Date.parse(guard.until) - now) / 1000));
  return (
    <div className={`guard-status guard-${guard.state}`} role="status" data-testid="guard-status" data-state={guard.state}>
      <p>
        Guard on {guard.version}{' '}
        <span className="badge" data-testid="guard-state">
          {STATE_LABEL[guard.state]}
        </span>
        {guard.state === 'watching' && <span className="muted small"> {left} s left</span>}
      </p>
      {guard.state === 'watching' ? (
        <p className="small">
          {guard.observed.requests} of {guard.thresholds.minRequests} requests{describe(guard.observed)}; baseline{' '}
          {guard.baselineVersion ?? 'none (no traffic before)'}
          {guard.baselineVersion && describe(guard.baseline)}.
        </p>
      ) : (
        <p className="small guard-reason" data-testid="guard-reason">
          {guard.reason}
        </p>
      )}
    </div>
  );
}

function describe(sample: GuardSample): string {
  if (sample.successRate === null) return '';
  const p99 = sample.p99Ms === null ? '' : `, p99 ${sample.p99Ms < 10 ? sample.p99Ms.toFixed(1) : Math.round(sample.p99Ms)} ms`;
  return ` (success ${Math.round(sample.successRate * 1000) / 10}%${p99})`;
}
