/**
 * `meshdesk tap`: the live request log in the terminal, filtered, as text or JSON lines. Filters are
 * the dashboard's filter words (`tap service=world status=5xx path~/api min=200ms`) or the classic
 * flags; both compile to the mesh's own predicate, so tap, the dashboard and the log agree.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { RequestEvent } from '../../shared/events.js';
import type { Exchange, WireBody } from '../../shared/exchange.js';
import { grpcStatusName, parseGrpcStatus } from '../../shared/grpc-codes.js';
import type { LogFilter } from '../../shared/log-filter.js';
import { parseFilterWords } from '../../shared/log-filter-words.js';
import { addAdminAccessOptions, adminClient, EXIT_UNREACHABLE, type AdminAccessOptions } from './admin-access.js';
import { colour, millis } from './output.js';
import { pushBatches } from './push-client.js';
import { exchangeFor, tapFilter } from './tap-capture.js';
import { readPersistedToken } from '../mesh/index.js';

interface TapOptions extends AdminAccessOptions {
  service?: string;
  caller?: string;
  method?: string;
  path?: string;
  status?: string;
  grpcStatus?: string;
  output: 'text' | 'json';
  max?: number;
  bodies?: boolean;
}

/** Text mode shows this much of each body; JSON gives what the log captured. */
const BODY_PREVIEW_CHARS = 1_024;

export function tapCommand(): Command {
  return addAdminAccessOptions(
    new Command('tap')
      .description('stream requests as they cross the mesh')
      .argument('[words...]', 'filter words, as in the dashboard: service=world status=5xx grpc-status=UNAVAILABLE method~SayHello path~/api min=200ms errors')
      .option('--service <service>', 'only requests to this service')
      .option('--caller <caller>', 'only requests from this caller')
      .option('--method <method>', 'only this method')
      .option('--path <text>', 'only paths containing this text')
      .option('--status <status>', 'a code (404) or a class (5xx)')
      .addOption(
        new Option('--grpc-status <status>', 'only gRPC calls that ended with this gRPC status: a name (UNAVAILABLE) or a code (14)').argParser(grpcStatus),
      )
      .addOption(new Option('-o, --output <format>', 'text or json (one object per line)').choices(['text', 'json']).default('text'))
      .addOption(new Option('--max <n>', 'stop after n requests').argParser(Number))
      .option('--bodies', 'show the captured request and response bodies (and, with -o json, headers)'),
  ).action(async (words: string[], options: TapOptions) => {
    const parsed = parseFilterWords(words.join(' '));
    if (parsed.errors.length > 0) {
      console.error(`meshdesk: ${parsed.errors.join('; ')}`);
      process.exitCode = 2;
      return;
    }
    const filter: LogFilter = { ...parsed.filter, ...flagFilter(options) };
    const token = options.token ?? readPersistedToken(options.stateDir);
    const format = options.json ? 'json' : options.output;
    const matching = tapFilter(filter);
    const readLog = matching.needsExchange || options.bodies === true;
    const client = readLog ? adminClient(options) : null;
    let shown = 0;
    const abort = new AbortController();
    try {
      for await (const batch of pushBatches(options.adminUrl, token, abort.signal)) {
        for (const item of batch.items) {
          if (item.kind !== 'request' || !matching.matchesSummary(item.event)) continue;
          const exchange = client === null ? null : await exchangeFor(client, item.event);
          // Gone from the log before we asked (cleared, or overtaken by 10,000 newer): its headers cannot be tested.
          if (matching.needsExchange && (exchange === null || !matching.matchesExchange(item.event, exchange))) continue;
          console.log(
            format === 'json' ? JSON.stringify(options.bodies && exchange ? exchange : item.event) : tapText(item.event, options.bodies ? exchange : null),
          );
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
function flagFilter(options: Pick<TapOptions, 'service' | 'caller' | 'method' | 'path' | 'status' | 'grpcStatus'>): LogFilter {
  const { service, caller, method, path, status, grpcStatus } = options;
  return Object.fromEntries(Object.entries({ service, caller, method, path, status, grpcStatus }).filter(([, value]) => value !== undefined));
}

/** `--grpc-status`: refused at once when it names no gRPC status, as `grpc-status=` words are. */
function grpcStatus(value: string): string {
  if (parseGrpcStatus(value) === null) throw new InvalidArgumentError(`not a gRPC status: ${value} (a name such as UNAVAILABLE, or 0-16)`);
  return value.toUpperCase();
}

function tapText(event: RequestEvent, exchange: Exchange | null): string {
  if (exchange === null) return tapLine(event);
  return [tapLine(event), bodyLines('>', exchange.requestBody), bodyLines('<', exchange.responseBody)].filter((part) => part !== '').join('\n');
}

/** A body under its line, marked like curl -v: `>` sent, `<` received. */
function bodyLines(mark: '>' | '<', body: WireBody | null): string {
  if (body === null || body.size === 0) return '';
  const cut = body.truncated ? `, captured ${body.encoding === 'utf8' ? Buffer.byteLength(body.data) : Buffer.from(body.data, 'base64').length}` : '';
  const header = `  ${mark} ${body.size} bytes${cut}${body.encoding === 'base64' ? ', binary (base64)' : ''}`;
  const text = body.data.length > BODY_PREVIEW_CHARS ? `${body.data.slice(0, BODY_PREVIEW_CHARS)}…` : body.data;
  return `${header}\n${text.replace(/^/gm, `  ${mark} `)}`;
}

/**
 * One exchange a line; `failed` in words too, for pipes and NO_COLOR, where red says nothing. A gRPC
 * call shows `gRPC` for its method (its HTTP method is always POST), its gRPC status by name (its
 * HTTP status is 200 whatever happened; the HTTP status still when it ended without one), and its
 * grpc-message last; another HTTP/2 request shows `GET h2`.
 */
export function tapLine(event: RequestEvent): string {
  const when = new Date(event.startedAt).toISOString().slice(11, 23);
  const grpc = event.grpc;
  const method = grpc !== undefined ? 'gRPC' : event.protocol === 'h2' ? `${event.method} h2` : event.method;
  const code = grpc?.status ?? null;
  const warn = code !== null ? code !== 0 : event.status >= 400;
  const status = colour(code !== null ? grpcStatusName(code) : `${event.status}`, event.failed ? 'red' : warn ? 'yellow' : 'green');
  const target = event.version ? `${event.service}@${event.version}` : event.service;
  const error = event.error ? colour(` (${event.error})`, 'red') : '';
  const flags = event.flags !== undefined && event.flags.length > 0 ? ` [${event.flags.join(' ')}]` : '';
  const failed = event.failed ? ` ${colour('failed', 'red')}` : '';
  return `${when} ${event.caller} → ${target} ${method} ${event.path} ${status} ${millis(event.timings.end)}${flags}${failed}${error}${grpcMessage(grpc)}`;
}

/** A gRPC call's message, on the call's one line; none for an OK call's `OK` (grpc-js says it on every one). */
function grpcMessage(grpc: RequestEvent['grpc']): string {
  const message = grpc?.message?.replace(/\s+/g, ' ').trim();
  if (!message || (grpc?.status === 0 && message === 'OK')) return '';
  return `  ${message}`;
}
