/**
 * Finds a recorded answer for a request, by the mock's matching mode (shared/mock.ts). Entries are
 * grouped once by their key, so a lookup is one map read, and a key recorded several times answers
 * with its entries in recorded order, round and round. A miss is explained: what was asked, by
 * which rule, and the requests the recording does have.
 */
import { DEFAULT_IGNORED_HEADERS, type MockMatching } from '../../../shared/mock.js';
import { sha256, sortedQuery, type RecordedEntry, type RecordedRequest } from './recording.js';

export interface AskedRequest {
  method: string;
  /** Path and query, as the request line had them. */
  target: string;
  /** Lower-case names. */
  headers: ReadonlyMap<string, string>;
  body: Buffer;
}

/** Recorded requests a miss lists, at most. */
const LISTED = 20;

export class MockMatcher {
  private readonly groups = new Map<string, { entries: RecordedEntry[]; next: number }>();
  private readonly ignored: ReadonlySet<string>;

  constructor(
    private readonly entries: readonly RecordedEntry[],
    readonly matching: MockMatching,
    ignoreHeaders: readonly string[] = DEFAULT_IGNORED_HEADERS,
  ) {
    this.ignored = new Set(ignoreHeaders.map((name) => name.toLowerCase()));
    for (const entry of entries) {
      const key = this.keyOf(entry.request);
      const group = this.groups.get(key);
      if (group) group.entries.push(entry);
      else this.groups.set(key, { entries: [entry], next: 0 });
    }
  }

  /** The answer for `asked`, or null when nothing recorded matches. */
  match(asked: AskedRequest): RecordedEntry | null {
    const group = this.groups.get(this.keyOf(recordedFormOf(asked)));
    if (!group) return null;
    const entry = group.entries[group.next % group.entries.length] ?? null;
    group.next++;
    return entry;
  }

  /** A miss's explanation, for the answer's body: plain text, one recorded request a line. */
  explain(service: string, file: string, asked: AskedRequest): { text: string; recorded: string[] } {
    const recorded = [...new Set(this.entries.map((entry) => describe(entry.request, this.matching)))];
    const rule = RULES[this.matching];
    const body = asked.body.length > 0 && this.matching !== 'path' ? ` (body sha256 ${sha256(asked.body).slice(0, 12)})` : '';
    const lines = [
      `meshdesk mock ${service}@recorded: nothing recorded matches ${asked.method} ${asked.target}${body}`,
      `matched by ${rule}; the recording ${file} has ${recorded.length} request${recorded.length === 1 ? '' : 's'}${recorded.length > LISTED ? ` (the first ${LISTED})` : ''}:`,
      ...recorded.slice(0, LISTED).map((line) => `  ${line}`),
    ];
    return { text: `${lines.join('\n')}\n`, recorded: recorded.slice(0, LISTED) };
  }

  private keyOf(request: RecordedRequest): string {
    if (this.matching === 'path') return `${request.method} ${request.path}`;
    const base = `${request.method} ${request.path}?${request.query} #${request.bodyHash ?? ''}`;
    if (this.matching === 'request') return base;
    const headers = [...request.headers].filter(([name]) => !this.ignored.has(name)).sort(([a], [b]) => (a < b ? -1 : 1));
    return `${base} ${JSON.stringify(headers)}`;
  }
}

const RULES: Record<MockMatching, string> = {
  request: 'method, path, query and body hash',
  headers: 'method, path, query, body hash and headers',
  path: 'method and path',
};

function recordedFormOf(asked: AskedRequest): RecordedRequest {
  const url = new URL(asked.target, 'http://mock');
  return {
    method: asked.method.toUpperCase(),
    path: url.pathname,
    query: sortedQuery(url.searchParams),
    bodyHash: asked.body.length === 0 ? null : sha256(asked.body),
    headers: asked.headers,
  };
}

function describe(request: RecordedRequest, matching: MockMatching): string {
  const query = matching !== 'path' && request.query !== '' ? `?${request.query}` : '';
  const body = matching !== 'path' && request.bodyHash !== null ? ` (body sha256 ${request.bodyHash.slice(0, 12)})` : '';
  return `${request.method} ${request.path}${query}${body}`;
}
