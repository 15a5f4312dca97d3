/** `meshdesk fault`: inject delays or errors into a service's traffic, list them, clear them. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { grpcStatusName, parseGrpcStatus } from '../../shared/grpc-codes.js';
import type { Fault } from '../../shared/routes.js';
import { addAdminAccessOptions, withAdmin, type AdminAccessOptions } from './admin-access.js';
import { table } from './output.js';

interface SetOptions extends AdminAccessOptions {
  percent: number;
  delay?: number;
  jitter?: number;
  abort?: number;
  grpcStatus?: number;
  caller?: string;
}

export function faultCommand(): Command {
  const fault = new Command('fault').description('inject delays or errors into a service’s traffic');
  fault.addCommand(
    addAdminAccessOptions(
      new Command('set')
        .description('e.g. `fault set world --percent 10 --abort 503`, `--grpc-status UNAVAILABLE` or `--delay 300 --jitter 100`')
        .argument('<service>')
        .addOption(new Option('--percent <n>', 'share of requests affected, 0-100').argParser(number).default(100))
        .addOption(new Option('--delay <ms>', 'added delay').argParser(number))
        .addOption(new Option('--jitter <ms>', 'extra random delay up to this').argParser(number))
        .addOption(new Option('--abort <status>', 'answer with this status instead').argParser(number))
        .addOption(new Option('--grpc-status <status>', 'answer gRPC calls with this gRPC status (name or number) instead').argParser(grpcStatus))
        .option('--caller <caller>', 'only requests from this caller'),
    ).action((service: string, options: SetOptions) =>
      withAdmin(options, async (client) => {
        const faults = await client.call('setFault', {
          service,
          percent: options.percent,
          ...(options.caller ? { caller: options.caller } : {}),
          ...(options.delay !== undefined ? { delayMs: options.delay } : {}),
          ...(options.jitter !== undefined ? { jitterMs: options.jitter } : {}),
          ...(options.abort !== undefined ? { abortStatus: options.abort } : {}),
          ...(options.grpcStatus !== undefined ? { abortGrpcStatus: options.grpcStatus } : {}),
        });
        print(faults, options);
      }),
    ),
  );
  fault.addCommand(
    addAdminAccessOptions(
      new Command('clear').description('remove a service’s fault').argument('<service>').option('--caller <caller>', 'the caller-specific one'),
    ).action((service: string, options: AdminAccessOptions & { caller?: string }) =>
      withAdmin(options, async (client) => print(await client.call('clearFault', { service, ...(options.caller ? { caller: options.caller } : {}) }), options)),
    ),
  );
  fault.addCommand(
    addAdminAccessOptions(new Command('list').description('faults in force')).action((options: AdminAccessOptions) =>
      withAdmin(options, async (client) => print(await client.call('listFaults'), options)),
    ),
  );
  return fault;
}

function number(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new InvalidArgumentError(`not a number: ${value}`);
  return parsed;
}

function grpcStatus(value: string): number {
  const code = parseGrpcStatus(value);
  if (code === null || code === 0) throw new InvalidArgumentError(`not a gRPC error status: ${value} (a name such as UNAVAILABLE, or 1-16)`);
  return code;
}

function print(faults: Fault[], options: AdminAccessOptions): void {
  if (options.json) return console.log(JSON.stringify(faults));
  if (faults.length === 0) return console.log('no faults');
  console.log(
    table(
      ['SERVICE', 'CALLER', 'PERCENT', 'DELAY', 'ABORT'],
      faults.map((f) => [
        f.service,
        f.caller ?? '*',
        `${f.percent}%`,
        f.delayMs !== undefined ? `${f.delayMs}ms${f.jitterMs ? `+0..${f.jitterMs}ms` : ''}` : '-',
        [f.abortStatus, f.abortGrpcStatus === undefined ? undefined : `gRPC ${grpcStatusName(f.abortGrpcStatus)}`].filter(Boolean).join(', ') || '-',
      ]),
    ),
  );
}
