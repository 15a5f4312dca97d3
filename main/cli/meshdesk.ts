/** The `meshdesk` command line. Each command lives in its own module. */
import { Command } from 'commander';
import { MESHDESK_VERSION } from '../mesh/version.js';
import { demoCommand } from './demo-command.js';
import { envCommand } from './env-command.js';
import { openCommand } from './open-command.js';
import { serveCommand } from './serve-command.js';

export function createProgram(): Command {
  return new Command('meshdesk')
    .description('A service mesh for one developer machine')
    .version(MESHDESK_VERSION)
    .showHelpAfterError()
    .addCommand(serveCommand())
    .addCommand(demoCommand())
    .addCommand(envCommand())
    .addCommand(openCommand());
}

export async function main(argv: string[]): Promise<void> {
  try {
    await createProgram().parseAsync(argv);
  } catch (error) {
    console.error(`meshdesk: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
