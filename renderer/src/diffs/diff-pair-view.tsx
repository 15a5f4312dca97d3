/**
 * One pair side by side: the differences the mesh found (field, the primary's value, the shadow's,
 * noise tagged), then both answers through the request log's ResponseComparison — status, who
 * served, time, headers (those left out of every comparison shown but not marked), and bodies line
 * by line, JSON with its keys sorted so only values that differ are highlighted (the lines of noisy
 * fields dimmed).
 */
import { useEffect, useRef, useState } from 'react';
import { AdminCallError } from '../../../shared/admin-client.js';
import type { DiffPair, ShadowView } from '../../../shared/shadow.js';
import { clockTime } from '../requests/cell-format.js';
import { ResponseComparison } from '../requests/replay-comparison.js';
import { useMesh } from '../use-mesh-state.js';
import { comparedSide, ignoredHeaders, noiseRows, orderDifferences } from './diff-model.js';

type PairStatus = { kind: 'loading' } | { kind: 'ready'; pair: DiffPair } | { kind: 'gone' } | { kind: 'error'; message: string };

export function DiffPairView({ id, rule, onClose }: { id: number; rule: ShadowView | null; onClose: () => void }) {
  const { client } = useMesh();
  const [status, setStatus] = useState<PairStatus>({ kind: 'loading' });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    let current = true;
    client.call('getDiffPair', { id }).then(
      (pair) => {
        if (current) setStatus({ kind: 'ready', pair });
      },
      (error: unknown) => {
        if (!current) return;
        if (error instanceof AdminCallError && error.status === 404) setStatus({ kind: 'gone' });
        else setStatus({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [client, id]);
  // Opened below the tables: brought into view once it has its content.
  useEffect(() => {
    if (status.kind === 'ready') heading.current?.scrollIntoView({ block: 'nearest' });
  }, [status.kind]);

  return (
    <section className="diff-pair" aria-labelledby={`pair-${id}-title`} data-testid="diff-pair" data-id={id}>
      <header className="diff-pair-header">
        <h3 id={`pair-${id}-title`} ref={heading}>
          {status.kind === 'ready' ? (
            <>
              <code>
                {status.pair.method} {status.pair.path}
              </code>{' '}
              <span className={status.pair.verdict === 'different' ? 'verdict different' : 'verdict same'} data-testid="pair-verdict">
                {status.pair.verdict === 'different' ? 'differs' : 'same'}
              </span>
            </>
          ) : (
            `Pair #${id}`
          )}
        </h3>
        {status.kind === 'ready' && <span className="muted small">{clockTime(status.pair.at)}</span>}
        <button type="button" onClick={onClose} data-testid="close-pair">
          Close
        </button>
      </header>
      {status.kind === 'loading' && <p className="muted">Loading the pair…</p>}
      {status.kind === 'gone' && <p className="muted">This pair is no longer kept: the mesh keeps the newest pairs only.</p>}
      {status.kind === 'error' && (
        <p role="alert" className="error">
          Could not load the pair: {status.message}
        </p>
      )}
      {status.kind === 'ready' && <PairBody pair={status.pair} rule={rule} />}
    </section>
  );
}

function PairBody({ pair, rule }: { pair: DiffPair; rule: ShadowView | null }) {
  const differences = orderDifferences(pair.differences);
  return (
    <>
      {differences.length === 0 ? (
        <p className="muted">Both answers are the same (headers left out of every comparison aside).</p>
      ) : (
        <table className="pair-differences" aria-label="Differences" data-testid="pair-differences">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Primary ({pair.primary.version})</th>
              <th scope="col">Shadow ({pair.shadow.version})</th>
            </tr>
          </thead>
          <tbody>
            {differences.map((difference) => (
              <tr key={difference.field} className={difference.noisy ? 'noisy' : undefined} data-testid="pair-difference" data-field={difference.field}>
                <th scope="row">
                  <code>{difference.field}</code>
                  {difference.noisy && <span className="noise-tag">noise</span>}
                </th>
                <td>{difference.primary ?? <span className="muted">absent</span>}</td>
                <td>{difference.shadow ?? <span className="muted">absent</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ResponseComparison
        className="pair-comparison"
        testId="pair-comparison"
        left={comparedSide(pair, pair.primary, 'primary')}
        right={comparedSide(pair, pair.shadow, 'shadow')}
        ignoredHeaders={ignoredHeaders(rule)}
        markServedBy={false}
        quietRow={noiseRows(pair.differences)}
      />
    </>
  );
}
