/**
 * The log filter applied in the view to rows as they are pushed, so a filtered log follows live
 * traffic without asking the mesh for every batch. It is the mesh's own predicate
 * (shared/log-filter.ts), so the live rows and the history the mesh returns always agree. Pushed
 * events carry no headers: when the filter needs them (`needsCapture`), the view asks the mesh
 * instead (see live-log-loader.ts).
 */
import { compileFilter, needsCapture, type LogFilter } from '../../../shared/log-filter.js';
import type { LogRow } from './log-row.js';

export { needsCapture };

export type RowPredicate = (row: LogRow) => boolean;

/** A predicate for the filter's event fields (all of them when `needsCapture` is false). */
export function compileRowFilter(filter: LogFilter): RowPredicate {
  const matches = compileFilter(withoutEmpty(filter));
  return (row) => matches(row, row.failed, null);
}

/** The filter bar leaves cleared fields as empty strings; they filter nothing. */
function withoutEmpty(filter: LogFilter): LogFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== '' && value !== undefined)) as LogFilter;
}
