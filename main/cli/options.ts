/** Listener settings shared by `serve` and `demo`: flags first, then environment, then defaults. */
import { InvalidArgumentError, Option, type Command } from 'commander';

export interface ListenOptions {
  proxyHost: string;
  proxyPort: number;
  adminHost: string;
  adminPort: number;
  /** Where the admin token and runtime registrations are kept, when given; else the command decides. */
  stateDir?: string;
}

export const DEFAULT_PROXY_PORT = 4140;
export const DEFAULT_ADMIN_PORT = 9990;

export function addListenOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--proxy-port <port>', 'proxy listener port (0: any free port)').env('MESHDESK_PROXY_PORT').argParser(parsePort).default(DEFAULT_PROXY_PORT),
    )
    .addOption(new Option('--proxy-host <host>', 'proxy listener address').env('MESHDESK_PROXY_HOST').default('127.0.0.1'))
    .addOption(
      new Option('--admin-port <port>', 'admin API and dashboard port (0: any free port)')
        .env('MESHDESK_ADMIN_PORT')
        .argParser(parsePort)
        .default(DEFAULT_ADMIN_PORT),
    )
    .addOption(new Option('--admin-host <host>', 'admin API and dashboard address').env('MESHDESK_ADMIN_HOST').default('127.0.0.1'))
    .addOption(
      new Option('--state-dir <dir>', "where the admin token and runtime registrations are kept (default: the workspace's own folder)").env(
        'MESHDESK_STATE_DIR',
      ),
    )
    .addOption(new Option('--grace <ms>', 'on SIGINT/SIGTERM, how long in-flight requests may finish').argParser(parseNonNegative).default(5_000));
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError(`not a port number: ${value}`);
  return port;
}

function parseNonNegative(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new InvalidArgumentError(`not a non-negative number: ${value}`);
  return number;
}
