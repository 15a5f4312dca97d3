/** `meshdesk tap`: the live request log in the terminal, filtered, as text or JSON lines. */
import { Command, Option } from 'commander';
import type { RequestEvent } from '../../shared/events.js';
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
      .option('--service <service>', 'only requests to this service')
      .option('--caller <caller>', 'only requests from this caller')
      .option('--method <method>', 'only this method')
      .option('--path <text>', 'only paths containing this text')
      .option('--status <status>', 'a code (404) or a class (5xx)')
      .addOption(new Option('-o, --output <format>', 'text or json (one object per line)').choices(['text', 'json']).default('text'))
      .addOption(new Option('--max <n>', 'stop after n requests').argParser(Number)),
  ).action(async (options: TapOptions) => {
    const token = options.token ?? readPersistedToken(options.stateDir);
    const format = options.json ? 'json' : options.output;
    const matches = eventFilter(options);
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

export function eventFilter(options: Pick<TapOptions, 'service' | 'caller' | 'method' | 'path' | 'status'>): (event: RequestEvent) => boolean {
  const status = options.status?.toLowerCase();
  return (event) =>
    (!options.service || event.service === options.service) &&
    (!options.caller || event.caller === options.caller) &&
    (!options.method || event.method === options.method.toUpperCase()) &&
    (!options.path || event.path.includes(options.path)) &&
    (!status || (status.endsWith('xx') ? `${Math.floor(event.status / 100)}xx` === status : `${event.status}` === status));
}

function tapLine(event: RequestEvent): string {
  const when = new Date(event.startedAt).toISOString().slice(11, 23);
  const status = event.status >= 500 || event.status === 0 ? colour(`${event.status}`, 'red') : event.status >= 400 ? colour(`${event.status}`, 'yellow') : colour(`${event.status}`, 'green');
  const target = event.version ? `${event.service}@${event.version}` : event.service;
  const error = event.error ? colour(` (${event.error})`, 'red') : '';
  return `${when} ${event.caller} → ${target} ${event.method} ${event.path} ${status} ${millis(event.timings.end)}${error}`;
}
