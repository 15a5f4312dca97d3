/**
 * Two responses side by side: status, who served each, time, headers by name, bodies by line. The
 * replay view compares an exchange's original response with its replay's; the Diffs page compares
 * a shadow pair's primary answer with the shadow's, through the same ResponseComparison.
 */
import type { Exchange } from '../../../shared/exchange.js';
import type { ReplayResult } from '../../../shared/replay.js';
import { bodyView } from './body-format.js';
import { latency, target } from './cell-format.js';
import { diffHeaders, diffLines, sideBySide, type SideBySideRow } from './line-diff.js';

/** One response as compared; `testId` prefixes its cells' test ids (`original-status`, `replay-served-by`). */
export interface ComparedResponse {
  heading: string;
  testId: string;
  status: number | string;
  servedBy: string;
  ms: number | null;
  headers: readonly (readonly [string, string])[];
  bodyText: string;
}

export function ReplayComparison({ original, replay }: { original: Exchange; replay: ReplayResult }) {
  return (
    <ResponseComparison
      className="replay-comparison"
      testId="replay-comparison"
      left={{
        heading: `Original #${original.id}`,
        testId: 'original',
        status: original.status,
        servedBy: target(original.service, original.version),
        ms: original.timings.end,
        headers: original.responseHeaders ?? [],
        bodyText: bodyText(original.responseBody, original.responseHeaders ?? []),
      }}
      right={{
        heading: 'Replay',
        testId: 'replay',
        status: replay.status,
        servedBy: replay.version ? target(original.service, replay.version) : 'version not reported',
        ms: replay.ms,
        headers: replay.headers,
        bodyText: bodyText(replay.body, replay.headers),
      }}
    />
  );
}

/**
 * `ignoredHeaders` (lower case) are shown but not marked as changed: headers that differ between
 * any two answers (dates, request ids) and that the caller asked to leave out of the comparison.
 * `markServedBy` false: the two sides come from different versions by design (a shadow pair), so
 * who served them is shown but not marked. `quietRow` tells body rows whose change is expected
 * (noise): they keep their colours, dimmed, so the differences that matter stand out.
 */
export function ResponseComparison({
  left,
  right,
  className,
  testId,
  ignoredHeaders,
  markServedBy = true,
  quietRow,
}: {
  left: ComparedResponse;
  right: ComparedResponse;
  className: string;
  testId: string;
  ignoredHeaders?: ReadonlySet<string>;
  markServedBy?: boolean;
  quietRow?: (row: SideBySideRow) => boolean;
}) {
  const headers = diffHeaders(left.headers, right.headers);
  const rows = sideBySide(diffLines(left.bodyText, right.bodyText));
  return (
    <div className={className} data-testid={testId}>
      <table className="comparison">
        <thead>
          <tr>
            <th />
            <th scope="col">{left.heading}</th>
            <th scope="col">{right.heading}</th>
          </tr>
        </thead>
        <tbody>
          <tr className={left.status === right.status ? '' : 'changed'}>
            <th scope="row">status</th>
            <td data-testid={`${left.testId}-status`}>{left.status}</td>
            <td data-testid={`${right.testId}-status`}>{right.status}</td>
          </tr>
          <tr className={!markServedBy || left.servedBy === right.servedBy ? '' : 'changed'}>
            <th scope="row">served by</th>
            <td data-testid={`${left.testId}-served-by`}>{left.servedBy}</td>
            <td data-testid={`${right.testId}-served-by`}>{right.servedBy}</td>
          </tr>
          <tr>
            <th scope="row">time</th>
            <td>{latency(left.ms)}</td>
            <td>{latency(right.ms)}</td>
          </tr>
          {headers.map((row) => {
            const ignored = ignoredHeaders?.has(row.name) ?? false;
            const changed = !row.same && !ignored;
            return (
              <tr key={row.name} className={changed ? 'changed' : ignored ? 'ignored' : ''} data-testid={changed ? 'changed-header' : undefined}>
                <th scope="row">{row.name}</th>
                <td>{row.left ?? '—'}</td>
                <td>{row.right ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="body-diff" role="table" aria-label="Response bodies compared" data-testid="body-diff">
        {rows.map((row, index) => (
          <div role="row" key={index} className={quietRow?.(row) ? 'diff-row quiet' : 'diff-row'}>
            <pre role="cell" className={`diff-cell ${row.left?.kind ?? 'blank'}`} data-testid="diff-left">
              {row.left?.text ?? ''}
            </pre>
            <pre role="cell" className={`diff-cell ${row.right?.kind ?? 'blank'}`} data-testid="diff-right">
              {row.right?.text ?? ''}
            </pre>
          </div>
        ))}
      </div>
    </div>
  );
}

function bodyText(body: Exchange['responseBody'], headers: [string, string][]): string {
  const view = bodyView(body, headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1]);
  return view.kind === 'none' ? '' : view.text;
}
