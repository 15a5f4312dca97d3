/** The original response and the replay's, side by side: status, version, headers by name, bodies by line. */
import type { Exchange } from '../../../shared/exchange.js';
import type { ReplayResult } from '../../../shared/replay.js';
import { bodyView } from './body-format.js';
import { latency, target } from './cell-format.js';
import { diffHeaders, diffLines, sideBySide } from './line-diff.js';

export function ReplayComparison({ original, replay }: { original: Exchange; replay: ReplayResult }) {
  const headers = diffHeaders(original.responseHeaders ?? [], replay.headers);
  const rows = sideBySide(diffLines(bodyText(original.responseBody, original.responseHeaders ?? []), bodyText(replay.body, replay.headers)));
  return (
    <div className="replay-comparison" data-testid="replay-comparison">
      <table className="comparison">
        <thead>
          <tr>
            <th />
            <th scope="col">Original #{original.id}</th>
            <th scope="col">Replay</th>
          </tr>
        </thead>
        <tbody>
          <tr className={original.status === replay.status ? '' : 'changed'}>
            <th scope="row">status</th>
            <td data-testid="original-status">{original.status}</td>
            <td data-testid="replay-status">{replay.status}</td>
          </tr>
          <tr className={original.version === replay.version ? '' : 'changed'}>
            <th scope="row">served by</th>
            <td>{target(original.service, original.version)}</td>
            <td data-testid="replay-served-by">{replay.version ? target(original.service, replay.version) : 'version not reported'}</td>
          </tr>
          <tr>
            <th scope="row">time</th>
            <td>{latency(original.timings.end)}</td>
            <td>{latency(replay.ms)}</td>
          </tr>
          {headers.map((row) => (
            <tr key={row.name} className={row.same ? '' : 'changed'} data-testid={row.same ? undefined : 'changed-header'}>
              <th scope="row">{row.name}</th>
              <td>{row.left ?? '—'}</td>
              <td>{row.right ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="body-diff" role="table" aria-label="Response bodies compared" data-testid="body-diff">
        {rows.map((row, index) => (
          <div role="row" key={index} className="diff-row">
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
