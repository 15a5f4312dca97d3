/**
 * The log's rows, virtualised: however many the list holds (up to the log's capacity), the DOM has
 * only the rows on screen and a few either side, all one fixed height so no row is measured.
 *
 * Follow mode keeps the newest row in view; scrolling up turns it off and scrolling back to the
 * bottom turns it on again. When not following, rows that leave the top of a full list would shift
 * everything up under the user's eyes, so the scroll position moves up by as much (the list
 * counts what it evicted).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { byteSize, clockTime, latency, methodText, rowStatusClass, statusText, statusTitle, target } from './cell-format.js';
import type { LiveLog } from './live-log.js';
import { FLAG_LABELS, flagsOf, type LogRow } from './log-row.js';
import { useLogVersion } from './use-live-log.js';

export const ROW_HEIGHT = 26;

const COLUMNS = ['Time', 'Caller', 'Method', 'Service', 'Instance', 'Path', 'Status', 'Latency', 'Size', 'Retries', 'Flags'] as const;

interface LogTableProps {
  log: LiveLog;
  follow: boolean;
  onFollowChange: (follow: boolean) => void;
  selectedId: number | null;
  onSelect: (id: number) => void;
}

/** Memoised: the page around it re-renders with every pushed stats update; the table only with its rows. */
export const LogTable = memo(function LogTable({ log, follow, onFollowChange, selectedId, onSelect }: LogTableProps) {
  const version = useLogVersion(log);
  const scroller = useRef<HTMLDivElement>(null);
  const evictedSeen = useRef(log.counters.evicted);
  /** Where following last put the scroll position: scroll events at or below it are ours, not the user's. */
  const autoScrollTop = useRef(0);
  const count = log.length;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
    // No getItemKey: keys by index let the virtualiser keep its measurements while rows shift (a
    // new key function each render would recompute all 10,000).
  });

  useLayoutEffect(() => {
    const element = scroller.current;
    const evicted = log.counters.evicted;
    const shifted = evicted - evictedSeen.current;
    evictedSeen.current = evicted;
    if (!element) return;
    if (follow) {
      element.scrollTop = element.scrollHeight;
      autoScrollTop.current = element.scrollTop;
    } else if (shifted > 0) element.scrollTop = Math.max(0, element.scrollTop - shifted * ROW_HEIGHT);
  }, [version, follow, log]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    // Rows can land between our scroll and its event, so "not at the bottom" alone does not mean the
    // user scrolled: only a move above where following put it does.
    if (follow && element.scrollTop < autoScrollTop.current - 2) onFollowChange(false);
    else if (!follow && element.scrollHeight - element.scrollTop - element.clientHeight < ROW_HEIGHT) onFollowChange(true);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const current = selectedId === null ? -1 : log.indexOfId(selectedId);
    const next = Math.min(count - 1, Math.max(0, current + (event.key === 'ArrowDown' ? 1 : -1)));
    const row = log.at(next);
    if (!row) return;
    onSelect(row.id);
    virtualizer.scrollToIndex(next);
  };

  return (
    <div className="log-table" role="table" aria-label="Request log" aria-rowcount={count + 1} data-testid="log-table" data-row-count={count}>
      <div role="rowgroup" className="log-head">
        <div role="row" className="log-row">
          {COLUMNS.map((column) => (
            <div role="columnheader" key={column} className={`cell cell-${column.toLowerCase()}`}>
              {column}
            </div>
          ))}
        </div>
      </div>
      {/* The scroller is the rows' group: a focusable element between the table and its rows would hide them from the table's structure. */}
      <div ref={scroller} role="rowgroup" className="log-scroll" onScroll={onScroll} onKeyDown={onKeyDown} tabIndex={0} data-testid="log-scroll">
        <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = log.at(item.index);
            // Keyed by position, not id: while following a busy log every visible row changes each
            // render, and reusing the row elements updates their text instead of rebuilding the DOM.
            return row ? <RowView key={item.index} row={row} top={item.start} index={item.index} selected={row.id === selectedId} onSelect={onSelect} /> : null;
          })}
        </div>
      </div>
      {count === 0 && (
        <p className="log-empty" data-testid="log-empty">
          No requests yet. Send some through the proxy, or loosen the filter.
        </p>
      )}
    </div>
  );
});

interface RowViewProps {
  row: LogRow;
  top: number;
  index: number;
  selected: boolean;
  onSelect: (id: number) => void;
}

const RowView = memo(function RowView({ row, top, index, selected, onSelect }: RowViewProps) {
  const flags = flagsOf(row);
  const { retries } = row;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`log-row status-${rowStatusClass(row)}${row.failed ? ' failed' : ''}${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      data-testid="log-row"
      data-id={row.id}
      onClick={() => onSelect(row.id)}
    >
      <div role="cell" className="cell cell-time">
        {clockTime(row.startedAt)}
      </div>
      <div role="cell" className="cell cell-caller">
        {row.caller}
      </div>
      <div role="cell" className="cell cell-method">
        {methodText(row)}
      </div>
      <div role="cell" className="cell cell-service">
        {target(row.service, row.version)}
      </div>
      <div role="cell" className="cell cell-instance">
        {row.instance ?? '-'}
      </div>
      <div role="cell" className="cell cell-path" title={row.path}>
        {row.path}
      </div>
      <div role="cell" className="cell cell-status" title={statusTitle(row)}>
        {statusText(row)}
      </div>
      <div role="cell" className="cell cell-latency">
        {latency(row.timings.end)}
      </div>
      <div role="cell" className="cell cell-size">
        {byteSize(row.bytesOut)}
      </div>
      <div role="cell" className="cell cell-retries">
        {retries > 0 ? retries : ''}
      </div>
      <div role="cell" className="cell cell-flags">
        {flags.map((flag) => (
          <span key={flag} className={`flag flag-${flag}`} title={FLAG_LABELS[flag].title}>
            {FLAG_LABELS[flag].short}
          </span>
        ))}
      </div>
    </div>
  );
});
