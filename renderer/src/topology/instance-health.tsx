/** A service's versions and their instances: share, traffic, health and why, where each was declared. */
import type { InstanceEvent } from '../../../shared/events.js';
import type { ServiceView } from '../../../shared/model.js';
import type { StatsSnapshot } from '../../../shared/stats.js';
import { formatMs, formatPercent, formatRps, formatShare } from '../components/format.js';
import { Sparkline } from '../components/sparkline.js';
import { ejectionOf, inPanic } from './ejection-state.js';
import type { VersionTarget } from './graph-model.js';
import { historyKey, type StatsHistory } from './stats-history.js';

export function InstanceHealth({
  service,
  versions,
  view,
  stats,
  history,
  instanceEvents,
}: {
  service: string;
  versions: readonly VersionTarget[];
  view: ServiceView | null;
  stats: StatsSnapshot | null;
  history: StatsHistory;
  /** Ejections, returns and panics pushed by the mesh, newest first. */
  instanceEvents: readonly InstanceEvent[];
}) {
  const now = Date.now();
  return (
    <section className="panel-section" aria-label="Versions and instances">
      <h3>Versions and instances</h3>
      {versions.map((version) => {
        const instances = view?.versions.find((entry) => entry.name === version.name)?.instances ?? [];
        return (
          <div key={version.name} className="version-block" data-testid={`panel-version-${version.name}`}>
            <h4>
              {version.name}
              <span className="muted">
                {' '}
                {version.share === null ? '' : `${formatShare(version.share)} of traffic · `}
                {formatRps(version.rps)} · {formatPercent(version.successRate)}
              </span>
              <Sparkline lines={[{ values: history.values(historyKey.version(service, version.name), 'rps') }]} label={`${version.name} requests per second`} width={72} height={16} />
            </h4>
            {!version.registered && <p className="muted">No longer registered; seen in recent traffic.</p>}
            {inPanic(instanceEvents, service, version.name, now) && (
              <p className="small" role="status" data-testid={`panel-panic-${version.name}`}>
                Panic: ejections ignored so that traffic has somewhere to go — {inPanic(instanceEvents, service, version.name, now)?.reason}
              </p>
            )}
            {instances.length > 0 && (
              <table className="instances">
                <thead>
                  <tr>
                    <th scope="col">Instance</th>
                    <th scope="col">Health</th>
                    <th scope="col">Traffic</th>
                    <th scope="col">Declared in</th>
                  </tr>
                </thead>
                <tbody>
                  {instances.map((instance) => {
                    const instanceStats = stats?.instances.find((entry) => entry.service === service && entry.instance === instance.address)?.stats ?? null;
                    const ejection = ejectionOf(instanceEvents, service, version.name, instance.address, now);
                    return (
                      <tr key={instance.address} data-testid={`panel-instance-${instance.address}`}>
                        <td>
                          <code>{instance.address}</code>
                        </td>
                        <td>
                          <span className={`health-badge instance-${instance.health}`}>{instance.health}</span>
                          {instance.healthReason && <div className="muted small">{instance.healthReason}</div>}
                          {instance.healthCheck && <div className="muted small">{instance.healthCheck}</div>}
                          {ejection && (
                            <div className="small" data-testid={`panel-ejected-${instance.address}`}>
                              ejected until {new Date(ejection.until).toLocaleTimeString()} ({ejection.reason}
                              {ejection.ejections > 1 ? `, ejected ${ejection.ejections} times` : ''})
                            </div>
                          )}
                        </td>
                        <td className="small">
                          {instanceStats ? `${formatRps(instanceStats.rps)} · ${formatPercent(instanceStats.successRate)} · p99 ${formatMs(instanceStats.latencyMs.p99)}` : '—'}
                        </td>
                        <td className="small">{instance.origin}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </div>
        );
      })}
    </section>
  );
}
