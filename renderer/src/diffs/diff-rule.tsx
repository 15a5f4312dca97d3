/**
 * The head of a service's diffs: the rule in force in words, what the shadow sending did (copied,
 * answered, failed, dropped because the queue was full, skipped because a body was not captured
 * whole, the shadow's latency, noise probes), its warning, and "Clear diffs" for after a fix.
 */
import { useState } from 'react';
import type { ServiceRoute } from '../../../shared/routes.js';
import type { ServiceDiffs } from '../../../shared/shadow.js';
import { runCommand } from '../components/command-result.js';
import { formatAge, formatMs } from '../components/format.js';
import { useMesh } from '../use-mesh-state.js';
import { describeShadow, differingShare, ruleOrigin } from './shadow-summary.js';

export function DiffRule({ diffs, route, onCleared }: { diffs: ServiceDiffs; route: ServiceRoute | null; onCleared: () => void }) {
  const { client } = useMesh();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const rule = diffs.shadow;
  const clear = async () => {
    setBusy(true);
    let cleared = 0;
    const result = await runCommand(async () => {
      cleared = (await client.call('clearDiffs', { service: diffs.service })).cleared;
    });
    setBusy(false);
    setMessage(result.ok ? `Cleared ${cleared} pair${cleared === 1 ? '' : 's'} and the noise learnt; comparing starts afresh.` : result.message);
    onCleared();
  };

  return (
    <section className="diff-rule" aria-label="Shadow rule" data-testid="diff-rule">
      {rule === null ? (
        <p data-testid="diff-rule-line">Shadowing {diffs.service} is stopped. The pairs compared before stay here until you clear them.</p>
      ) : (
        <p data-testid="diff-rule-line">
          <strong>{describeShadow(rule, route)}</strong>{' '}
          <span className="muted">
            · started{' '}
            <time dateTime={rule.since} title={rule.since}>
              {formatAge(Date.parse(rule.since), Date.now())}
            </time>{' '}
            from {ruleOrigin(rule.origin)}
          </span>
        </p>
      )}
      {rule?.warning && (
        <p className="shadow-warning small" data-testid="diff-warning">
          <span className="badge badge-warn">side effects</span> {rule.warning}
        </p>
      )}
      <dl className="diff-stats" data-testid="diff-stats">
        <Stat label="Pairs compared" value={String(diffs.pairs)} testId="stat-pairs" />
        <Stat label="Differ" value={`${differingShare(diffs.differing, diffs.pairs)} (${diffs.differing})`} testId="stat-differing" />
        {rule !== null && (
          <>
            <Stat label="Copied" value={String(rule.stats.mirrored)} />
            <Stat label="Answered" value={String(rule.stats.answered)} />
            <Stat label="Failed" value={String(rule.stats.failed)} warn={rule.stats.failed > 0} />
            <Stat
              label="Dropped"
              value={String(rule.stats.dropped)}
              warn={rule.stats.dropped > 0}
              title="Not copied: the shadow queue was full (shadowing never makes a caller wait)"
            />
            <Stat label="Skipped" value={String(rule.stats.skipped)} title="Not copied: the request body was not captured whole" />
            <Stat label="Shadow p50 / p99" value={`${formatMs(rule.stats.p50Ms)} / ${formatMs(rule.stats.p99Ms)}`} />
            <Stat
              label="Noise probes"
              value={String(rule.stats.noiseProbes)}
              title={`Requests sent twice to the primary's version to learn which fields change by themselves`}
            />
          </>
        )}
      </dl>
      <div className="button-row">
        <button
          type="button"
          onClick={() => void clear()}
          disabled={busy || diffs.pairs === 0}
          data-testid="clear-diffs"
          title="Forget the pairs and the noise learnt; the rule stays"
        >
          Clear diffs
        </button>
        <span role="status" className="muted small" data-testid="diff-message">
          {message ?? ''}
        </span>
      </div>
    </section>
  );
}

function Stat({ label, value, testId, warn = false, title }: { label: string; value: string; testId?: string; warn?: boolean; title?: string }) {
  return (
    <div className={warn ? 'diff-stat warn' : 'diff-stat'} title={title}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}
