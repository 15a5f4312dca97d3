/**
 * `meshdesk tap`: the live request log in the terminal, filtered, as text or JSON lines. Filters are
 * the dashboard's filter words (`tap service=world status=5xx path~/api min=200ms`) or the classic
 * flags; both compile to the mesh's own predicate, so tap, the dashboard and the log agree.
 */
import { Command, Option } from 'commander';
import type { RequestEvent } from '../../shared/events.js';
import { compileFilter, needsCapture, type LogFilter } from '../../shared/log-filter.js';
import { parseFilterWords } from '../../shared/log-filter-words.js';
import { defaultIsFailure } from '../mesh/telemetry/classify.js';
import { addAdminAccessOptions, EXIT_UNREACHABLE, type AdminAccessOptions } from './admin-access.js';
import { colour, millis } from './output.js';
import { pushBatches } from './push-client.js';
import { readPersistedToken } from '../mesh/admin/token-file.js';

interface TapOptions extends AdminAccessOptions {
  service?: string;
  caller?: string;
  method?: string;
  path?: string;
  status?: string;
  output: 'text' | 'json';
  max?: number;
}

export function tapCommand(): Command {
  return addAdminAccessOptions(
    new Command('tap')
      .description('stream requests as they cross the mesh')
      .argument('[words...]', 'filter words, as in the dashboard: service=world status=5xx path~/api min=200ms errors')
      .option('--service <service>', 'only requests to this service')
      .option('--caller <caller>', 'only requests from this caller')
      .option('--method <method>', 'only this method')
      .option('--path <text>', 'only paths containing this text')
      .option('--status <status>', 'a code (404) or a class (5xx)')
      .addOption(new Option('-o, --output <format>', 'text or json (one object per line)').choices(['text', 'json']).default('text'))
      .addOption(new Option('--max <n>', 'stop after n requests').argParser(Number)),
  ).action(async (words: string[], options: TapOptions) => {
    const parsed = parseFilterWords(words.join(' '));
    if (parsed.errors.length > 0) {
      console.error(`meshdesk: ${parsed.errors.join('; ')}`);
      process.exitCode = 2;
      return;
    }
    const filter: LogFilter = { ...parsed.filter, ...flagFilter(options) };
    if (needsCapture(filter)) {
      console.error('meshdesk: tap sees requests as they happen, without their headers; filter by headers or free text in the dashboard or with the log API');
      process.exitCode = 2;
      return;
    }
    const token = options.token ?? readPersistedToken(options.stateDir);
    const format = options.json ? 'json' : options.output;
    const predicate = compileFilter(filter);
    const matches = (event: RequestEvent) => predicate(event, defaultIsFailure(event), null);
    let shown = 0;
    const abort = new AbortController();
    try {
      for await (const batch of pushBatches(options.adminUrl, token, abort.signal)) {
        for (const item of batch.items) {
          if (item.kind !== 'request' || !matches(item.event)) continue;
          console.log(format === 'json' ? JSON.stringify(item.event) : tapLine(item.event));
          if (options.max !== undefined && ++shown >= options.max) {
            abort.abort();
            return;
          }
        }
      }
    } catch (error) {
      if (abort.signal.aborted) return;
      const unreachable = error instanceof TypeError && /fetch failed/.test(error.message);
      console.error(unreachable ? `meshdesk: no mesh answers at ${options.adminUrl}` : `meshdesk: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = unreachable ? EXIT_UNREACHABLE : 1;
    }
  });
}

/** The classic flags, as the same filter the words give. */
function flagFilter(options: Pick<TapOptions, 'service' | 'caller' | 'method' | 'path' | 'status'>): LogFilter {
  const { service, caller, method, path, status } = options;
  return Object.fromEntries(Object.entries({ service, caller, method, path, status }).filter(([, value]) => value !== undefined));
}

function tapLine(event: RequestEvent): string {
  const when = new Date(event.startedAt).toISOString().slice(11, 23);
  const status = event.status >= 500 || event.status === 0 ? colour(`${event.status}`, 'red') : event.status >= 400 ? colour(`${event.status}`, 'yellow') : colour(`${event.status}`, 'green');
  const target = event.version ? `${event.service}@${event.version}` : event.service;
  const error = event.error ? colour(` (${event.error})`, 'red') : '';
  return `${when} ${event.caller} → ${target} ${event.method} ${event.path} ${status} ${millis(event.timings.end)}${error}`;
}
