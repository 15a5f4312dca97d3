/**
 * How CLI commands reach a running mesh: its admin URL and token from flags, then the environment,
 * then the defaults (the token persisted by the mesh in the user's state folder). Errors become one
 * readable line and an exit code scripts can test: 1 the mesh refused or failed, 3 unreachable.
 */
import { Command, Option } from 'commander';
import { AdminClient, SignInRequiredError } from '../../shared/admin-client.js';
import { defaultStateDir, readPersistedToken } from '../mesh/index.js';

export interface AdminAccessOptions {
  adminUrl: string;
  token?: string;
  stateDir: string;
  json?: boolean;
}

export const EXIT_FAILED = 1;
export const EXIT_UNREACHABLE = 3;

export function addAdminAccessOptions(command: Command): Command {
  return command
    .addOption(new Option('--admin-url <url>', 'admin address of the running mesh').env('MESHDESK_ADMIN_URL').default('http://127.0.0.1:9990'))
    .addOption(new Option('--token <token>', 'admin token (default: the one the mesh saved in its state folder)').env('MESHDESK_TOKEN'))
    .addOption(new Option('--state-dir <dir>', 'the mesh state folder').env('MESHDESK_STATE_DIR').default(defaultStateDir()))
    .option('--json', 'print JSON instead of text');
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
      console.error(`meshdesk: the mesh at ${options.adminUrl} refused the token (${error.message}); pass --token or --state-dir`);
      process.exitCode = EXIT_FAILED;
    } else if (error instanceof TypeError && /fetch failed/.test(error.message)) {
      console.error(`meshdesk: no mesh answers at ${options.adminUrl}; start one with \`meshdesk serve\``);
      process.exitCode = EXIT_UNREACHABLE;
    } else {
      console.error(`meshdesk: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = EXIT_FAILED;
    }
  }
}
