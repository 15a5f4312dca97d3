/** Golden metrics (rate, success, latency, retries) of one series, each with its recent sparkline. */
import type { SeriesStats } from '../../../shared/stats.js';
import { formatMs, formatPercent, formatRps } from '../components/format.js';
import { Sparkline } from '../components/sparkline.js';
import type { Sample } from './stats-history.js';

export function GoldenMetrics({ stats, samples, testId }: { stats: SeriesStats | null; samples: readonly Sample[]; testId: string }) {
  const pick = (metric: keyof Sample) => samples.map((sample) => sample[metric]);
  const latency = stats?.latencyMs;
  return (
    <dl className="golden-metrics" data-testid={testId}>
      <div>
        <dt>Requests/s</dt>
        <dd data-testid={`${testId}-rps`}>{formatRps(stats?.rps)}</dd>
        <dd>
          <Sparkline lines={[{ values: pick('rps') }]} label={`requests per second, now ${formatRps(stats?.rps)}`} />
        </dd>
      </div>
      <div>
        <dt>Success</dt>
        <dd data-testid={`${testId}-success`}>{formatPercent(stats?.successRate)}</dd>
        <dd>
          <Sparkline lines={[{ values: pick('successRate') }]} min={0} max={1} label={`success rate, now ${formatPercent(stats?.successRate)}`} />
        </dd>
      </div>
      <div>
        <dt>Latency p50 / p95 / p99</dt>
        <dd data-testid={`${testId}-latency`}>
          {formatMs(latency?.p50)} / {formatMs(latency?.p95)} / {formatMs(latency?.p99)}
        </dd>
        <dd>
          <Sparkline
            lines={[
              { values: pick('p50'), className: 'line-p50' },
              { values: pick('p95'), className: 'line-p95' },
              { values: pick('p99'), className: 'line-p99' },
            ]}
            label={`latency, p99 now ${formatMs(latency?.p99)}`}
          />
        </dd>
      </div>
      <div>
        <dt>Retries</dt>
        <dd>
          {stats ? `${stats.retries} in window · ${stats.totals.retries} total` : '—'}
          {stats && stats.inFlight > 0 ? ` · ${stats.inFlight} in flight` : ''}
        </dd>
      </div>
    </dl>
  );
}
