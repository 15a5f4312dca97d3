/**
 * A service's versions and their instances: share, traffic, health and why, where each was
 * declared. A version or an instance opens its own golden metrics (rate, success, latency with
 * sparklines), one at a time, under its row.
 */
import { Fragment, useState } from 'react';
import type { InstanceEvent } from '../../../shared/events.js';
import type { ServiceView } from '../../../shared/model.js';
import type { StatsSnapshot } from '../../../shared/stats.js';
import { formatMs, formatPercent, formatRps, formatShare } from '../components/format.js';
import { HealthBadge } from '../components/health-badge.js';
import { Sparkline } from '../components/sparkline.js';
import { ejectionOf, inPanic } from './ejection-state.js';
import { GoldenMetrics } from './golden-metrics.js';
import type { VersionTarget } from './graph-model.js';
import { requestsHrefForService } from './requests-link.js';
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
  /** The version (`v <name>`) or instance (`i <address>`) whose metrics are open. */
  const [open, setOpen] = useState<string | null>(null);
  const toggle = (key: string, label: string) => (
    <button
      type="button"
      className="series-toggle"
      aria-expanded={open === key}
      onClick={() => setOpen(open === key ? null : key)}
      aria-label={`${open === key ? 'Hide' : 'Show'} the metrics of ${label}`}
      data-testid={`toggle-${key.replace(' ', '-')}`}
    >
      {open === key ? 'Hide metrics' : 'Metrics'}
    </button>
  );
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
              <Sparkline
                lines={[{ values: history.values(historyKey.version(service, version.name), 'rps') }]}
                label={`${version.name} requests per second`}
                width={72}
                height={16}
              />
              {toggle(`v ${version.name}`, `${service}@${version.name}`)}
              <a
                href={requestsHrefForService(service, version.name)}
                className="small"
                aria-label={`Requests to ${service}@${version.name}`}
                data-testid={`panel-version-requests-${version.name}`}
              >
                Requests
              </a>
            </h4>
            {open === `v ${version.name}` && (
              <div className="series-details">
                <GoldenMetrics
                  stats={stats?.versions.find((entry) => entry.service === service && entry.version === version.name)?.stats ?? null}
                  samples={history.samples(historyKey.version(service, version.name))}
                  testId={`version-metrics-${version.name}`}
                />
              </div>
            )}
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
                  </tr>
                </thead>
                <tbody>
                  {instances.map((instance) => {
                    const instanceStats = stats?.instances.find((entry) => entry.service === service && entry.instance === instance.address)?.stats ?? null;
                    const ejection = ejectionOf(instanceEvents, service, version.name, instance.address, now);
                    return (
                      <Fragment key={instance.address}>
                        <tr data-testid={`panel-instance-${instance.address}`}>
                          <td>
                            <code>{instance.address}</code>
                            {toggle(`i ${instance.address}`, instance.address)}
                            {/* Where it was declared, under the address: a fourth column did not fit the panel. */}
                            <div className="muted small" title="declared in">
                              {instance.origin}
                            </div>
                          </td>
                          <td>
                            <HealthBadge instance={instance} compact />
                            {ejection && (
                              <div className="small" data-testid={`panel-ejected-${instance.address}`}>
                                ejected until {new Date(ejection.until).toLocaleTimeString()} ({ejection.reason}
                                {ejection.ejections > 1 ? `, ejected ${ejection.ejections} times` : ''})
                              </div>
                            )}
                          </td>
                          <td className="small">
                            {instanceStats ? (
                              <span className="values">
                                <span>{formatRps(instanceStats.rps)}</span> <span>{formatPercent(instanceStats.successRate)}</span>{' '}
                                <span>p99 {formatMs(instanceStats.latencyMs.p99)}</span>
                              </span>
                            ) : (
                              '—'
                            )}
                          </td>
                        </tr>
                        {open === `i ${instance.address}` && (
                          <tr>
                            <td colSpan={3} className="series-details">
                              <GoldenMetrics
                                stats={instanceStats}
                                samples={history.samples(historyKey.instance(service, instance.address))}
                                testId={`instance-metrics-${instance.address}`}
                              />
                            </td>
                          </tr>
                        )}
                      </Fragment>
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
