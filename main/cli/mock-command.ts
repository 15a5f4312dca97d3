/**
 * `meshdesk mock`: record a service's exchanges from the request log as HAR, serve a recording as
 * the service's version `recorded`, list and stop mocks. Paths given here are resolved against the
 * current folder before they are sent: the mesh would resolve them against its workspace.
 */
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { MockView } from '../../shared/mock.js';
import { addAdminAccessOptions, withAdmin, type AdminAccessOptions } from './admin-access.js';
import { table } from './output.js';

interface RecordOptions extends AdminAccessOptions {
  since?: number;
  out?: string;
}

interface ServeOptions extends AdminAccessOptions {
  from?: string;
  match: 'request' | 'headers' | 'path';
  ignoreHeaders?: string;
  latency?: boolean;
}

export function mockCommand(): Command {
  const mock = new Command('mock').description('record a service’s traffic as HAR and serve it as the version `recorded`');
  mock.addCommand(
    addAdminAccessOptions(
      new Command('record')
        .description('write the service’s exchanges from the request log as HAR 1.2 (default <workspace>/mocks/<service>.har)')
        .argument('<service>')
        .addOption(new Option('--since <duration>', 'only the last 30s, 10m, 2h').argParser(sinceMs))
        .option('--out <file>', 'the HAR file to write'),
    ).action((service: string, options: RecordOptions) =>
      withAdmin(options, async (client) => {
        const result = await client.call('recordMock', {
          service,
          ...(options.since !== undefined ? { sinceMs: options.since } : {}),
          ...(options.out !== undefined ? { out: path.resolve(options.out) } : {}),
        });
        if (options.json) return console.log(JSON.stringify(result));
        console.log(`recorded ${result.entries} exchange${result.entries === 1 ? '' : 's'} of ${service} to ${result.file}`);
      }),
    ),
  );
  mock.addCommand(
    addAdminAccessOptions(
      new Command('serve')
        .description('serve a recording as <service>@recorded, answered by the mesh; route to it like any version')
        .argument('<service>')
        .option('--from <file>', 'the HAR file (default <workspace>/mocks/<service>.har)')
        .addOption(
          new Option('--match <mode>', 'request: method, path, query, body; headers: also headers; path: method and path')
            .choices(['request', 'headers', 'path'])
            .default('request'),
        )
        .option('--ignore-headers <names>', 'comma-separated headers left out of --match headers')
        .option('--latency', 'wait as long as each recorded exchange took'),
    ).action((service: string, options: ServeOptions) =>
      withAdmin(options, async (client) => {
        const view = await client.call('serveMock', {
          service,
          matching: options.match,
          replayLatency: options.latency === true,
          ...(options.from !== undefined ? { from: path.resolve(options.from) } : {}),
          ...(options.ignoreHeaders !== undefined
            ? {
                ignoreHeaders: options.ignoreHeaders
                  .split(',')
                  .map((name) => name.trim())
                  .filter(Boolean),
              }
            : {}),
        });
        if (options.json) return console.log(JSON.stringify(view));
        console.log(`serving ${view.entries} recorded exchange${view.entries === 1 ? '' : 's'} as ${service}@${view.version} (${view.file})`);
        for (const skipped of view.skipped) console.log(`  left out ${skipped}`);
        console.log(`route to it: meshdesk route all-to ${service} ${view.version}`);
      }),
    ),
  );
  mock.addCommand(
    addAdminAccessOptions(new Command('stop').description('remove the service’s mock and its version `recorded`').argument('<service>')).action(
      (service: string, options: AdminAccessOptions) => withAdmin(options, async (client) => print(await client.call('stopMock', { service }), options)),
    ),
  );
  mock.addCommand(
    addAdminAccessOptions(new Command('list').description('mocks served, with hits and misses')).action((options: AdminAccessOptions) =>
      withAdmin(options, async (client) => print(await client.call('listMocks'), options)),
    ),
  );
  return mock;
}

/** `30s`, `10m`, `2h`, or milliseconds. */
function sinceMs(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`not a duration: ${value} (e.g. 30s, 10m, 2h)`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'ms').toLowerCase() as 'ms' | 's' | 'm' | 'h'];
  return Math.max(1, Math.round(Number(match[1]) * unit));
}

function print(mocks: MockView[], options: AdminAccessOptions): void {
  if (options.json) return console.log(JSON.stringify(mocks));
  if (mocks.length === 0) return console.log('no mocks');
  console.log(
    table(
      ['SERVICE', 'FILE', 'ENTRIES', 'MATCH', 'HITS', 'MISSES'],
      mocks.map((mock) => [`${mock.service}@${mock.version}`, mock.file, String(mock.entries), mock.matching, String(mock.hits), String(mock.misses)]),
    ),
  );
}
