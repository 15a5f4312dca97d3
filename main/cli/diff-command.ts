/**
 * `meshdesk diff <service>`: what shadow traffic found (shared/shadow.ts), per endpoint: how many
 * pairs were compared, how many differ, the fields that differ and, apart, the fields learnt as
 * noise. `--pairs` lists the pairs themselves, newest first. `meshdesk diff clear <service>`
 * forgets them.
 *
 * Clearing is a subcommand rather than a `--clear` flag: it writes where `diff` reads, takes none
 * of the reading flags and answers in another shape, so as its own command it gets its own help
 * and `--json` with no table of conflicting flags to keep; and it reads like the CLI's other
 * verbs (`mock stop`, `route rollback`, `shadow stop`). The price: `diff clear` is always the
 * verb, so a service named `clear` can only be read with `meshdesk diff --service clear`.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { AdminClient } from '../../shared/admin-client.js';
import { mirroredMethods, type DiffPair, type DiffSide, type Difference, type EndpointDiffs, type FieldCount, type ServiceDiffs } from '../../shared/shadow.js';
import { addAdminAccessOptions, EXIT_FAILED, withAdmin, type AdminAccessOptions } from './admin-access.js';
import { colour, millis } from './output.js';
import { formatShare, shadowRoute, shareOf } from './shadow-command.js';

export interface Endpoint {
  method?: string;
  pattern: string;
}

interface DiffOptions extends AdminAccessOptions {
  service?: string;
  pairs?: boolean;
  differing?: boolean;
  endpoint?: Endpoint;
  limit?: number;
}

export function diffCommand(): Command {
  const diff = addAdminAccessOptions(
    new Command('diff')
      .description('what shadow traffic found: per endpoint, the fields that differ between the two versions’ answers')
      .argument('[service]', 'a shadowed service (`meshdesk shadow start`)')
      .option('--service <service>', 'the service, when it is named like a subcommand (clear)')
      .option('--pairs', 'list the compared pairs, newest first, with their differences')
      .option('--differing', 'only what differs: endpoints with differing pairs; with --pairs, differing pairs')
      .addOption(new Option('--endpoint <endpoint>', 'only one endpoint, as listed: "GET /users/{id}"').argParser(parseEndpoint))
      .addOption(new Option('--limit <n>', 'with --pairs, how many (default 50, at most 500)').argParser(parseLimit))
      // `diff clear world --json` is the subcommand's flag, not this command's.
      .enablePositionalOptions(),
  ).action((service: string | undefined, options: DiffOptions) =>
    withAdmin(options, async (client) => {
      const name = options.service ?? service;
      if (!name) throw new InvalidArgumentError('name the service: meshdesk diff <service>');
      if (options.limit !== undefined && !options.pairs) throw new InvalidArgumentError('--limit goes with --pairs');
      if (options.pairs) await printPairs(client, name, options);
      else await printSummary(client, name, options);
    }),
  );
  diff.addCommand(
    addAdminAccessOptions(
      new Command('clear')
        .description('forget the service’s compared pairs and learnt noise (after fixing the new version); shadowing goes on')
        .argument('<service>'),
    ).action((service: string, options: AdminAccessOptions) =>
      withAdmin(options, async (client) => {
        const answer = await client.call('clearDiffs', { service });
        if (options.json) return console.log(JSON.stringify(answer));
        console.log(`forgot ${answer.cleared} pair${answer.cleared === 1 ? '' : 's'} of ${service} and the noise learnt`);
      }),
    ),
  );
  return diff;
}

/** `GET /users/{id}`, or a path pattern alone for every method. */
export function parseEndpoint(value: string): Endpoint {
  const match = /^\s*(?:([A-Za-z]+)\s+)?(\/\S*)\s*$/.exec(value);
  if (!match?.[2]) throw new InvalidArgumentError(`not an endpoint: ${value} (e.g. "GET /users/{id}")`);
  return match[1] ? { method: match[1].toUpperCase(), pattern: match[2] } : { pattern: match[2] };
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value.trim()) || limit < 1 || limit > 500) throw new InvalidArgumentError(`not a count from 1 to 500: ${value}`);
  return limit;
}

function matches(endpoint: Endpoint | undefined, method: string, pattern: string): boolean {
  return !endpoint || (endpoint.pattern === pattern && (endpoint.method === undefined || endpoint.method === method));
}

async function printSummary(client: AdminClient, service: string, options: DiffOptions): Promise<void> {
  const diffs = await client.call('getDiffs', { service });
  const endpoints = diffs.endpoints.filter(
    (endpoint) => matches(options.endpoint, endpoint.method, endpoint.pattern) && (!options.differing || endpoint.differing > 0),
  );
  if (options.endpoint && endpoints.length === 0 && !diffs.endpoints.some((endpoint) => matches(options.endpoint, endpoint.method, endpoint.pattern))) {
    const known = diffs.endpoints.map((endpoint) => `${endpoint.method} ${endpoint.pattern}`).join(', ');
    console.error(`meshdesk: no pairs of ${service} for ${describeEndpoint(options.endpoint)}${known ? ` (endpoints: ${known})` : ''}`);
    process.exitCode = EXIT_FAILED;
    return;
  }
  // --endpoint and --differing narrow the endpoints listed; the service's totals stay as the mesh gave them.
  if (options.json) return console.log(JSON.stringify({ ...diffs, endpoints }));
  console.log(summaryText({ ...diffs, endpoints }));
}

export function summaryText(diffs: ServiceDiffs): string {
  const { service, shadow } = diffs;
  const rule = shadow ? `shadowing ${shadowRoute(shadow)} (${formatShare(shadow.percent)} of ${mirroredMethods(shadow).join(', ')})` : 'shadowing stopped';
  const lines = [`${service}: ${rule}; ${diffs.pairs} pair${diffs.pairs === 1 ? '' : 's'} compared, ${differingText(diffs.differing, diffs.pairs)}`];
  if (diffs.pairs === 0) {
    lines.push(shadow ? `nothing compared yet: send ${mirroredMethods(shadow).join(', ')} requests to ${service} through the proxy` : 'nothing compared');
    return lines.join('\n');
  }
  for (const endpoint of diffs.endpoints) lines.push('', ...endpointLines(endpoint));
  if (diffs.differing > 0) lines.push('', `the pairs themselves: meshdesk diff ${service} --pairs --differing`);
  return lines.join('\n');
}

function endpointLines(endpoint: EndpointDiffs): string[] {
  const head = `${endpoint.method} ${endpoint.pattern}  ${endpoint.pairs} pair${endpoint.pairs === 1 ? '' : 's'}, ${differingText(endpoint.differing, endpoint.pairs)}`;
  const lines = [endpoint.differing > 0 ? colour(head, 'red') : head];
  const width = Math.max(0, ...endpoint.fields.map((field) => field.field.length));
  for (const field of endpoint.fields) lines.push(`  ${field.field.padEnd(width)}  ${field.pairs}`);
  if (endpoint.noisy.length > 0) lines.push(colour(`  noise, left out: ${fieldCounts(endpoint.noisy)}`, 'dim'));
  return lines;
}

function differingText(differing: number, pairs: number): string {
  return differing === 0 ? 'none differ' : `${differing} differ (${shareOf(differing, pairs)})`;
}

/** `body.ts (12), header x-build (3)` */
function fieldCounts(fields: readonly FieldCount[]): string {
  return fields.map((field) => `${field.field} (${field.pairs})`).join(', ');
}

function describeEndpoint(endpoint: Endpoint): string {
  return endpoint.method ? `${endpoint.method} ${endpoint.pattern}` : endpoint.pattern;
}

async function printPairs(client: AdminClient, service: string, options: DiffOptions): Promise<void> {
  const pairs = await client.call('listDiffPairs', {
    service,
    ...(options.endpoint?.method !== undefined ? { method: options.endpoint.method } : {}),
    ...(options.endpoint ? { pattern: options.endpoint.pattern } : {}),
    ...(options.differing ? { differing: true } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
  });
  if (options.json) return console.log(JSON.stringify(pairs));
  if (pairs.length === 0)
    return console.log(`no ${options.differing ? 'differing ' : ''}pairs of ${service}${options.endpoint ? ` for ${describeEndpoint(options.endpoint)}` : ''}`);
  console.log(pairs.map(pairText).join('\n'));
}

/** One pair: a line with both answers, then one line per difference. */
export function pairText(pair: DiffPair): string {
  const when = new Date(pair.at).toISOString().slice(11, 23);
  const verdict = pair.verdict === 'different' ? colour('different', 'red') : 'same';
  const lines = [`#${pair.id}  ${when}  ${pair.method} ${pair.path}  ${verdict}  ${sideText(pair.primary)} | ${sideText(pair.shadow)}`];
  const width = Math.max(0, ...pair.differences.map((difference) => difference.field.length));
  for (const difference of pair.differences) lines.push(differenceLine(difference, width));
  return lines.join('\n');
}

function sideText(side: DiffSide): string {
  const answer = side.status === 0 ? `error ${side.error ?? 'no answer'}` : String(side.status);
  return `${side.version} ${answer} ${millis(side.ms)}`;
}

function differenceLine(difference: Difference, width: number): string {
  const change = `${difference.primary ?? '(absent)'} → ${difference.shadow ?? '(absent)'}`;
  const line = `  ${difference.field.padEnd(width)}  ${difference.kind.padEnd(7)}  ${change}${difference.noisy ? '  (noise)' : ''}`;
  return difference.noisy ? colour(line, 'dim') : line;
}
