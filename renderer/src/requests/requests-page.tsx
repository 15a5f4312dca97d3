/**
 * The request log page: the filter bar, the live log (virtualised, following, pausable) and the
 * detail pane of the exchange the user opened.
 *
 * The filter lives in the address (`#/requests?service=world&version=v2&caller=hello`, or `?q=`
 * with filter words), so "show requests here" from the graph opens the log filtered, and a reload
 * keeps it. Edits write the address back with replaceState, which does not fire hashchange: the
 * page is the source of its own filter until the user navigates again.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { formatFilterWords, parseFilterWords } from '../../../shared/log-filter-words.js';
import { useMesh, useMeshSnapshot } from '../use-mesh-state.js';
import { ExchangeDetail } from './exchange-detail.js';
import { FilterBar } from './filter-bar.js';
import { LogTable } from './log-table.js';
import { LogToolbar } from './log-toolbar.js';
import { filterFromParams, paramsFromFilter } from './url-filter.js';
import { useLiveLog } from './use-live-log.js';
import './requests.css';

export function RequestsPage({ params }: { params: URLSearchParams }) {
  const { client } = useMesh();
  const { info } = useMeshSnapshot();
  const fromAddress = useMemo(() => filterFromParams(params), [params]);
  const [words, setWords] = useState(() => params.get('q') ?? formatFilterWords(fromAddress.filter));
  /** Problems with the address's parameters, shown until the user types another filter. */
  const [addressErrors, setAddressErrors] = useState(fromAddress.errors);
  const parsed = useMemo(() => parseFilterWords(words), [words]);
  const filterKey = JSON.stringify(parsed.filter);
  const { log, loader, status } = useLiveLog(parsed.filter, filterKey);
  const [follow, setFollow] = useState(true);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  // The row's highlight answers the click at once; the detail pane may follow a frame later.
  const detailId = useDeferredValue(selectedId);

  // Navigated here (a link from the graph, back/forward): the address's filter wins.
  useEffect(() => {
    setWords(params.get('q') ?? formatFilterWords(fromAddress.filter));
    setAddressErrors(fromAddress.errors);
  }, [params, fromAddress]);

  // Opening an exchange stops following, so its row stays where the user clicked it.
  const select = useCallback((id: number) => {
    setSelectedId(id);
    setFollow(false);
  }, []);

  const apply = useCallback((next: string) => {
    setWords(next);
    setAddressErrors([]);
    const query = paramsFromFilter(parseFilterWords(next).filter).toString();
    window.history.replaceState(null, '', `#/requests${query ? `?${query}` : ''}`);
  }, []);

  return (
    <section aria-label="Requests" className="requests-page" data-testid="requests-page">
      <FilterBar words={words} errors={[...new Set([...addressErrors, ...parsed.errors])]} onApply={apply} />
      <LogToolbar
        log={log}
        loader={loader}
        status={status}
        follow={follow}
        onFollowChange={setFollow}
        filterWords={formatFilterWords(parsed.filter)}
        meshVersion={info?.version ?? 'unknown'}
        onClear={async () => {
          await client.call('clearLog');
          log.clear();
          setSelectedId(null);
        }}
      />
      <div className={`requests-split${selectedId === null ? '' : ' with-detail'}`}>
        <LogTable log={log} follow={follow} onFollowChange={setFollow} selectedId={selectedId} onSelect={select} />
        {detailId !== null && <ExchangeDetail key={detailId} id={detailId} proxyUrl={info?.proxyUrl ?? null} onClose={() => setSelectedId(null)} />}
      </div>
    </section>
  );
}
