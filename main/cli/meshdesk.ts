/** The `meshdesk` command line. Each command lives in its own module. */
import { Command } from 'commander';
import { MESHDESK_VERSION } from '../mesh/index.js';
import { demoCommand } from './demo-command.js';
import { diffCommand } from './diff-command.js';
import { doctorCommand } from './doctor-command.js';
import { envCommand } from './env-command.js';
import { exportCommand } from './export-command.js';
import { faultCommand } from './fault-command.js';
import { importComposeCommand } from './import-compose-command.js';
import { initCommand } from './init-command.js';
import { mockCommand } from './mock-command.js';
import { openCommand } from './open-command.js';
import { deregisterCommand, registerCommand } from './register-command.js';
import { routeCommand } from './route-command.js';
import { shadowCommand } from './shadow-command.js';
import { statCommand } from './stat-command.js';
import { statusCommand } from './status-command.js';
import { tapCommand } from './tap-command.js';
import { topCommand } from './top-command.js';
import { serveCommand } from './serve-command.js';

export function createProgram(): Command {
  return (
    new Command('meshdesk')
      .description('A service mesh for one developer machine')
      // The runtime too: the command may have been handed to the bundled Node 22 (bin/bundled-node.js).
      .version(`meshdesk ${MESHDESK_VERSION} on Node ${process.version}`)
      .showHelpAfterError()
      // Program options only before the command, so `register --version v2` is the command's own flag.
      .enablePositionalOptions()
      .addCommand(serveCommand())
      .addCommand(demoCommand())
      .addCommand(initCommand())
      .addCommand(envCommand())
      .addCommand(openCommand())
      .addCommand(statusCommand())
      .addCommand(doctorCommand())
      .addCommand(statCommand())
      .addCommand(tapCommand())
      .addCommand(topCommand())
      .addCommand(routeCommand())
      .addCommand(exportCommand())
      .addCommand(registerCommand())
      .addCommand(deregisterCommand())
      .addCommand(faultCommand())
      .addCommand(mockCommand())
      .addCommand(shadowCommand())
      .addCommand(diffCommand())
      .addCommand(importComposeCommand())
  );
}

export async function main(argv: string[]): Promise<void> {
  try {
    await createProgram().parseAsync(argv);
  } catch (error) {
    console.error(`meshdesk: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
