/**
 * How CLI commands reach a running mesh: its admin URL and token from flags, then the environment,
 * then the mesh of the workspace the command runs in (workspace.ts: the address its `serve`
 * recorded, the token it persisted), then the defaults. The admin address is read from the same
 * variables `serve` listens by (MESHDESK_ADMIN_PORT, MESHDESK_ADMIN_HOST, MESHDESK_STATE_DIR), so
 * one environment serves both. Errors become one readable line and an exit code scripts can test:
 * 1 the mesh refused or failed, 3 unreachable.
 */
import { Command, Option } from 'commander';
import { AdminClient, SignInRequiredError } from '../../shared/admin-client.js';
import { readPersistedToken } from '../mesh/index.js';
import { DEFAULT_ADMIN_PORT, parsePort } from './options.js';
import { readRunningMesh, type RunningMesh } from './running-mesh.js';
import { findWorkspace, stateDirFor } from './workspace.js';

export interface AdminAccessOptions {
  /** Set before the action runs: `--admin-url`, else built from the admin host and port (adminUrlOf). */
  adminUrl: string;
  adminPort: number;
  adminHost: string;
  token?: string;
  /** Set before the action runs: `--state-dir`, else the workspace's state folder (stateDirFor). */
  stateDir: string;
  /** Set before the action runs: the workspace the command runs in, null outside any. */
  workspace: string | null;
  json?: boolean;
}

export const EXIT_FAILED = 1;
export const EXIT_UNREACHABLE = 3;

export function addAdminAccessOptions(command: Command): Command {
  return command
    .addOption(new Option('--admin-url <url>', 'admin address of the running mesh (default: from --admin-host and --admin-port)').env('MESHDESK_ADMIN_URL'))
    .addOption(new Option('--admin-port <port>', 'admin port of the running mesh').env('MESHDESK_ADMIN_PORT').argParser(parsePort).default(DEFAULT_ADMIN_PORT))
    .addOption(new Option('--admin-host <host>', 'admin host of the running mesh').env('MESHDESK_ADMIN_HOST').default('127.0.0.1'))
    .addOption(new Option('--token <token>', 'admin token (default: the one the mesh saved in its state folder)').env('MESHDESK_TOKEN'))
    .addOption(new Option('--state-dir <dir>', "the mesh state folder (default: the workspace's)").env('MESHDESK_STATE_DIR'))
    .option('--json', 'print JSON instead of text')
    .hook('preAction', (self) => {
      const workspace = findWorkspace();
      const stateDir = stateDirFor(workspace, self.opts<{ stateDir?: string }>().stateDir);
      self.setOptionValue('stateDir', stateDir);
      self.setOptionValue('workspace', workspace.root);
      self.setOptionValue('adminUrl', adminUrlOf(self, readRunningMesh(stateDir)));
    });
}

const SOURCE_RANK: Record<string, number> = { cli: 2, env: 1 };
const ANY_INTERFACE_TO_LOOPBACK: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1' };

/**
 * The admin URL a command uses. A flag beats the environment, and the environment beats the mesh
 * running from the command's state folder, which beats the defaults; at the same level
 * `--admin-url` (MESHDESK_ADMIN_URL) beats the host and port it would be built from.
 */
export function adminUrlOf(command: Command, running: RunningMesh | null = null): string {
  const options = command.opts<Omit<AdminAccessOptions, 'adminUrl'> & { adminUrl?: string }>();
  const rank = (key: string) => SOURCE_RANK[command.getOptionValueSource(key) ?? ''] ?? 0;
  if (running && Math.max(rank('adminUrl'), rank('adminPort'), rank('adminHost')) === 0) return running.adminUrl;
  if (options.adminUrl !== undefined && rank('adminUrl') >= Math.max(rank('adminPort'), rank('adminHost'))) return options.adminUrl;
  // A mesh listening on every interface is reached on loopback, the only Host its admin API accepts.
  const host = ANY_INTERFACE_TO_LOOPBACK[options.adminHost] ?? options.adminHost;
  return `http://${host.includes(':') ? `[${host}]` : host}:${options.adminPort}`;
}

export function adminClient(options: AdminAccessOptions): AdminClient {
  return new AdminClient(options.adminUrl, options.token ?? readPersistedToken(options.stateDir));
}

/** Runs a command body, turning failures into one line on stderr and an exit code. */
export async function withAdmin(options: AdminAccessOptions, body: (client: AdminClient) => Promise<void>): Promise<void> {
  try {
    await body(adminClient(options));
  } catch (error) {
    if (error instanceof SignInRequiredError) {
      console.error(`meshdesk: the mesh at ${options.adminUrl} refused the token (${error.message}); pass --token or --state-dir${notThisWorkspace(options)}`);
      process.exitCode = EXIT_FAILED;
    } else if (error instanceof TypeError && /fetch failed/.test(error.message)) {
      console.error(`meshdesk: no mesh answers at ${options.adminUrl}; start one with \`meshdesk serve\`${inWorkspace(options)}`);
      process.exitCode = EXIT_UNREACHABLE;
    } else {
      console.error(`meshdesk: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = EXIT_FAILED;
    }
  }
}

function inWorkspace(options: AdminAccessOptions): string {
  return options.workspace ? ` in ${options.workspace}` : '';
}

/** A refused token most often means the mesh answering is another workspace's (or the demo). */
function notThisWorkspace(options: AdminAccessOptions): string {
  if (readRunningMesh(options.stateDir)) return '';
  return options.workspace ? `; no mesh of the workspace ${options.workspace} runs (it may be another workspace's)` : '';
}
