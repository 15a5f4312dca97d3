/** `meshdesk env`: the lines that send a shell's HTTP traffic through the mesh (`eval "$(meshdesk env)"`). */
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { NO_PROXY_HOSTS, SHELLS, shellEnv, type ShellKind } from '../../shared/export-line.js';
import { DEFAULT_PROXY_PORT, parsePort } from './options.js';
import { readRunningMesh } from './running-mesh.js';
import { findWorkspace, stateDirFor } from './workspace.js';

export function envCommand(): Command {
  return new Command('env')
    .description('print the environment lines for your shell (bash, zsh, fish, powershell)')
    .addOption(new Option('--proxy-port <port>', 'proxy port').env('MESHDESK_PROXY_PORT').argParser(parsePort).default(DEFAULT_PROXY_PORT))
    .addOption(new Option('--proxy-host <host>', 'proxy address').env('MESHDESK_PROXY_HOST').default('127.0.0.1'))
    .addOption(new Option('--shell <shell>', `one of ${SHELLS.join(', ')} (default: from $SHELL)`).argParser(parseShell))
    .option('--json', 'print the variables as JSON')
    .action((options: { proxyPort: number; proxyHost: string; shell?: ShellKind; json?: boolean }, command: Command) => {
      const proxyUrl = proxyUrlOf(options, command);
      if (options.json) {
        console.log(
          JSON.stringify({ http_proxy: proxyUrl, HTTP_PROXY: proxyUrl, no_proxy: NO_PROXY_HOSTS, NO_PROXY: NO_PROXY_HOSTS, NODE_USE_ENV_PROXY: '1' }),
        );
        return;
      }
      console.log(shellEnv(options.shell ?? shellFromEnvironment(), proxyUrl));
    });
}

/**
 * The proxy the lines point at: `--proxy-port`/`--proxy-host` (or their variables) when given, else
 * the mesh running for this workspace (on whatever port it took), else the default port.
 */
function proxyUrlOf(options: { proxyPort: number; proxyHost: string }, command: Command): string {
  const given = ['proxyPort', 'proxyHost'].some((key) => ['cli', 'env'].includes(command.getOptionValueSource(key) ?? ''));
  const running = given ? null : readRunningMesh(stateDirFor(findWorkspace(), process.env.MESHDESK_STATE_DIR));
  if (running) return running.proxyUrl;
  const host = options.proxyHost.includes(':') ? `[${options.proxyHost}]` : options.proxyHost;
  return `http://${host}:${options.proxyPort}`;
}

function parseShell(value: string): ShellKind {
  if (!(SHELLS as readonly string[]).includes(value)) throw new InvalidArgumentError(`unknown shell ${value}; use one of ${SHELLS.join(', ')}`);
  return value as ShellKind;
}

function shellFromEnvironment(): ShellKind {
  if (process.platform === 'win32') return 'powershell';
  const name = path.basename(process.env.SHELL ?? 'bash');
  return (SHELLS as readonly string[]).includes(name) ? (name as ShellKind) : 'bash';
}
