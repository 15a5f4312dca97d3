/**
 * A service's endpoints as compared: per method and path pattern, the pairs, the share that
 * differs, the fields that differed with how often, and apart from them, greyed and tagged, the
 * fields learnt as noise (they change between two answers of the same version, so they do not
 * count). The endpoint or a field is a button: it lists the pairs it stands for.
 */
import type { EndpointDiffs, FieldCount } from '../../../shared/shadow.js';
import type { PairSelection } from './diff-model.js';
import { differingShare } from './shadow-summary.js';

export function DiffEndpoints({
  endpoints,
  selection,
  onSelect,
}: {
  endpoints: readonly EndpointDiffs[];
  selection: PairSelection | null;
  onSelect: (selection: PairSelection) => void;
}) {
  return (
    <table className="diff-endpoints" aria-label="Endpoints compared" data-testid="diff-endpoints">
      <thead>
        <tr>
          <th scope="col">Method</th>
          <th scope="col">Endpoint</th>
          <th scope="col" className="num">
            Pairs
          </th>
          <th scope="col" className="num">
            Differ
          </th>
          <th scope="col">Fields that differ</th>
          <th scope="col">Noise (not counted)</th>
        </tr>
      </thead>
      <tbody>
        {endpoints.map((endpoint) => {
          const chosen = selection !== null && selection.method === endpoint.method && selection.pattern === endpoint.pattern;
          const pick = (field: string | null, noisy = false) => onSelect({ method: endpoint.method, pattern: endpoint.pattern, field, noisy });
          return (
            <tr
              key={`${endpoint.method} ${endpoint.pattern}`}
              className={chosen ? 'chosen' : undefined}
              data-testid="diff-endpoint"
              data-method={endpoint.method}
              data-pattern={endpoint.pattern}
            >
              <td className="method">{endpoint.method}</td>
              <td className="endpoint">
                <button
                  type="button"
                  className="link-button"
                  aria-pressed={chosen && selection.field === null}
                  onClick={() => pick(null)}
                  title={`List the pairs of ${endpoint.method} ${endpoint.pattern}`}
                  data-testid="endpoint-pairs"
                >
                  <code>{endpoint.pattern}</code>
                </button>
              </td>
              <td className="num" data-testid="endpoint-pair-count">
                {endpoint.pairs}
              </td>
              <td className={endpoint.differing > 0 ? 'num differs' : 'num'} data-testid="endpoint-differing">
                {differingShare(endpoint.differing, endpoint.pairs)}
              </td>
              <td data-testid="endpoint-fields">
                {endpoint.fields.length === 0 ? (
                  <span className="muted small">{endpoint.pairs === 0 ? '—' : 'none: the answers agree'}</span>
                ) : (
                  <FieldChips fields={endpoint.fields} noisy={false} chosen={chosen ? selection.field : null} onPick={(field) => pick(field)} />
                )}
              </td>
              <td data-testid="endpoint-noise">
                {endpoint.noisy.length === 0 ? (
                  <span className="muted small">—</span>
                ) : (
                  <FieldChips fields={endpoint.noisy} noisy chosen={chosen ? selection.field : null} onPick={(field) => pick(field, true)} />
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function FieldChips({
  fields,
  noisy,
  chosen,
  onPick,
}: {
  fields: readonly FieldCount[];
  noisy: boolean;
  chosen: string | null;
  onPick: (field: string) => void;
}) {
  return (
    <ul className="field-chips">
      {fields.map((field) => (
        <li key={field.field}>
          <button
            type="button"
            className={noisy ? 'field-chip noisy' : 'field-chip'}
            aria-pressed={chosen === field.field}
            onClick={() => onPick(field.field)}
            title={`${noisy ? 'Noise: differs between two answers of the same version, left out of the verdict. ' : ''}Differed in ${field.pairs} pair${field.pairs === 1 ? '' : 's'}; click to list them`}
            data-testid={noisy ? 'noisy-field' : 'differing-field'}
            data-field={field.field}
          >
            <code>{field.field}</code> <span className="count">×{field.pairs}</span>
            {noisy && <span className="noise-tag">noise</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}
