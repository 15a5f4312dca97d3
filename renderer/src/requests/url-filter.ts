/**
 * The log filter in the page's address (`#/requests?service=world&version=v2&caller=hello`), so
 * "show requests here" from the graph, a reload and a bookmark all open the log filtered the same
 * way. Parameters use the admin API's query names (what the graph links with), and `q` takes
 * filter words; both may be combined, the named parameters winning.
 */
import { logQuerySchema } from '../../../shared/exchange.js';
import { formatFilterWords, parseFilterWords, type LogFilter, type WordsResult } from '../../../shared/log-filter-words.js';

const FILTER_KEYS = [
  'service',
  'caller',
  'version',
  'instance',
  'kind',
  'method',
  'methodContains',
  'status',
  'grpcStatus',
  'path',
  'pathRegex',
  'minLatencyMs',
  'errorsOnly',
  'headerName',
  'headerValue',
  'text',
] as const satisfies readonly (keyof LogFilter)[];

export function filterFromParams(params: URLSearchParams): WordsResult {
  const fromWords = parseFilterWords(params.get('q') ?? '');
  const named: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value !== null && value !== '') named[key] = value;
  }
  const errors = [...fromWords.errors];
  const filter: LogFilter = { ...fromWords.filter };
  // One key at a time, so one bad parameter does not lose the others.
  for (const [key, value] of Object.entries(named)) {
    const checked = logQuerySchema.safeParse({ [key]: value });
    if (checked.success) Object.assign(filter, { [key]: checked.data[key as keyof LogFilter] });
    else errors.push(`${key}=${value}: ${checked.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (filter.method) filter.method = filter.method.toUpperCase();
  if (filter.grpcStatus) filter.grpcStatus = filter.grpcStatus.toUpperCase();
  return { filter, errors };
}

/** The address parameters for a filter: its words in `q`, readable and stable. */
export function paramsFromFilter(filter: LogFilter): URLSearchParams {
  const words = formatFilterWords(filter);
  return new URLSearchParams(words ? { q: words } : {});
}
