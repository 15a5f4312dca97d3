/**
 * The pairs an endpoint (or one of its fields) stands for, newest first: when, the path asked,
 * each side's version and status, the verdict and what differed. Fetched when the selection
 * changes and again when the endpoint's count does (`revision`), so the list follows new pairs.
 */
import { useEffect, useState } from 'react';
import type { DiffPair } from '../../../shared/shadow.js';
import { clockTime } from '../requests/cell-format.js';
import { useMesh } from '../use-mesh-state.js';
import { orderDifferences, pairsForSelection, pairsQuery, type PairSelection } from './diff-model.js';

type PairsStatus = { kind: 'loading' } | { kind: 'ready'; pairs: DiffPair[] } | { kind: 'error'; message: string };

const FIELDS_SHOWN = 3;

export function DiffPairs({
  service,
  selection,
  revision,
  openId,
  onOpen,
}: {
  service: string;
  selection: PairSelection;
  revision: number;
  openId: number | null;
  onOpen: (id: number) => void;
}) {
  const { client } = useMesh();
  const [status, setStatus] = useState<PairsStatus>({ kind: 'loading' });
  const { method, pattern, field, noisy } = selection;
  useEffect(() => {
    let current = true;
    const chosen = { method, pattern, field, noisy };
    client.call('listDiffPairs', pairsQuery(service, chosen)).then(
      (pairs) => {
        if (current) setStatus({ kind: 'ready', pairs: pairsForSelection(pairs, chosen) });
      },
      (error: unknown) => {
        if (current) setStatus({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [client, service, method, pattern, field, noisy, revision]);

  return (
    <section className="diff-pairs" aria-label="Pairs" data-testid="diff-pairs">
      <h3>
        Pairs of{' '}
        <code>
          {method} {pattern}
        </code>
        {field !== null && (
          <>
            {' '}
            where <code>{field}</code> {noisy ? 'changed (noise)' : 'differs'}
          </>
        )}
      </h3>
      {status.kind === 'loading' && <p className="muted">Loading the pairs…</p>}
      {status.kind === 'error' && (
        <p role="alert" className="error">
          Could not list the pairs: {status.message}
        </p>
      )}
      {status.kind === 'ready' && status.pairs.length === 0 && <p className="muted">No pair is kept for this any more: the mesh keeps the newest ones only.</p>}
      {status.kind === 'ready' && status.pairs.length > 0 && (
        <div className="pair-list-scroll">
          <table className="pair-list">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Path</th>
                <th scope="col">Primary</th>
                <th scope="col">Shadow</th>
                <th scope="col">What differs</th>
                <th scope="col">
                  <span className="visually-hidden">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {status.pairs.map((pair) => (
                <tr
                  key={pair.id}
                  className={pair.id === openId ? 'chosen' : undefined}
                  data-testid="diff-pair-row"
                  data-id={pair.id}
                  data-verdict={pair.verdict}
                >
                  <td className="shrink num">{clockTime(pair.at)}</td>
                  <td className="path">
                    <code>{pair.path}</code>
                  </td>
                  <td className="shrink">
                    {pair.primary.version} {pair.primary.status || 'no answer'}
                  </td>
                  <td className="shrink">
                    {pair.shadow.version} {pair.shadow.status || 'no answer'}
                  </td>
                  <td>
                    <DifferenceSummary pair={pair} />
                  </td>
                  <td className="shrink">
                    <button type="button" onClick={() => onOpen(pair.id)} aria-pressed={pair.id === openId} data-testid="open-pair">
                      Compare
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DifferenceSummary({ pair }: { pair: DiffPair }) {
  const ordered = orderDifferences(pair.differences);
  if (ordered.length === 0) return <span className="muted">nothing: the same answer</span>;
  const counted = ordered.filter((difference) => !difference.noisy);
  const shown = ordered.slice(0, FIELDS_SHOWN);
  return (
    <span className={counted.length === 0 ? 'muted' : undefined}>
      {counted.length === 0 && 'only noise: '}
      {shown.map((difference, index) => (
        <span key={difference.field}>
          {index > 0 && ', '}
          <code className={difference.noisy ? 'noisy' : undefined}>{difference.field}</code>
        </span>
      ))}
      {ordered.length > shown.length && ` and ${ordered.length - shown.length} more`}
    </span>
  );
}
