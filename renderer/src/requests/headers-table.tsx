import { MASKED_VALUE } from '../../../shared/exchange.js';

/** Headers as captured, in order, repeats kept; masked values marked as such. */
export function HeadersTable({ headers, label }: { headers: [string, string][] | null; label: string }) {
  if (!headers) return <p className="muted">Not captured.</p>;
  if (headers.length === 0) return <p className="muted">None.</p>;
  return (
    <table className="headers-table" aria-label={label} data-testid={`headers-${label.toLowerCase().replace(/\s+/g, '-')}`}>
      <tbody>
        {headers.map(([name, value], index) => (
          <tr key={`${name}-${index}`}>
            <th scope="row">{name}</th>
            <td>
              {value === MASKED_VALUE ? (
                <span className="masked" title="masked by the mesh">
                  {MASKED_VALUE}
                </span>
              ) : (
                value
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
