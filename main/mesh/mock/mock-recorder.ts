/**
 * `mock record`: a service's exchanges from the request log, written as HAR 1.2 with the log's own
 * export (shared/har.ts), so a recording and a HAR the dashboard exported are the same thing and
 * either can be served. Answers a mock gave are left out (a recording of a recording would replay
 * its misses). The file is written whole to a temporary name and renamed, so a mock that reads it
 * meanwhile never sees half of it.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Exchange, LogPage, LogQuery } from '../../../shared/exchange.js';
import { exchangesToHar } from '../../../shared/har.js';
import { MOCK_VERSION, mockRecordInputSchema, type MockRecordInput, type MockRecordResult } from '../../../shared/mock.js';
import { MeshError } from '../mesh-error.js';

export interface RecorderParts {
  query: (query: Partial<LogQuery>) => LogPage;
  fileFor: (service: string, given?: string) => string;
  /** The mesh's version, for the HAR's creator. */
  version: string;
}

const PAGE = 1_000;

export function recordMock(input: MockRecordInput, parts: RecorderParts): MockRecordResult {
  const parsed = mockRecordInputSchema.safeParse(input);
  if (!parsed.success) throw new MeshError(400, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  const { service, sinceMs, out } = parsed.data;
  const file = parts.fileFor(service, out);
  const since = sinceMs === undefined ? 0 : Date.now() - sinceMs;
  const exchanges = serviceExchanges(parts.query, service, since);
  if (exchanges.length === 0) {
    const window = sinceMs === undefined ? '' : ` of the last ${Math.round(sinceMs / 1_000)} s`;
    throw new MeshError(404, `the request log holds no exchange of ${service}${window} to record: send it some traffic through the mesh first`);
  }
  const har = exchangesToHar(exchanges, { version: parts.version, comment: `meshdesk mock record ${service}` });
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(har, null, 2)}\n`);
  renameSync(temporary, file);
  return { service, file, entries: exchanges.length };
}

/** The service's exchanges the log holds since `since` (epoch ms), newest page first, mocks' answers and shadow copies (the callers never saw them) left out. */
function serviceExchanges(query: RecorderParts['query'], service: string, since: number): Exchange[] {
  const found: Exchange[] = [];
  let before: number | undefined;
  for (;;) {
    const page = query({ service, limit: PAGE, ...(before === undefined ? {} : { before }) });
    let older = false;
    for (const exchange of page.exchanges) {
      if (exchange.startedAt < since) {
        older = true;
        break;
      }
      if (exchange.version !== MOCK_VERSION && exchange.kind === 'service' && !exchange.flags?.includes('shadow')) found.push(exchange);
    }
    if (older || page.nextBefore === null) return found;
    before = page.nextBefore;
  }
}
