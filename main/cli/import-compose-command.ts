/**
 * `meshdesk import-compose [file]`: every docker-compose service that publishes a port on the host
 * is registered with the running mesh (origin CLI, so it persists like any runtime registration).
 * Services it cannot import are listed with the reason, and nothing is half-imported silently.
 */
import path from 'node:path';
import { Command } from 'commander';
import { importDockerCompose } from '../mesh/index.js';
import { addAdminAccessOptions, withAdmin, type AdminAccessOptions } from './admin-access.js';

export function importComposeCommand(): Command {
  return addAdminAccessOptions(
    new Command('import-compose')
      .description('register the services a docker-compose.yml publishes on the host')
      .argument('[file]', 'the compose file', 'docker-compose.yml'),
  ).action((file: string, options: AdminAccessOptions) =>
    withAdmin(options, async (client) => {
      const imported = await importDockerCompose(path.resolve(file));
      for (const problem of imported.problems) {
        console.error(`meshdesk: ${problem.severity ?? 'error'} ${problem.file}:${problem.line}:${problem.column} ${problem.message}`);
      }
      const registered: string[] = [];
      for (const entry of imported.entries) {
        await client.call('registerInstance', { service: entry.service, version: entry.version, address: entry.address, origin: 'CLI' });
        registered.push(`${entry.service}@${entry.version} ${entry.address} (${entry.origin})`);
      }
      if (options.json) console.log(JSON.stringify({ registered: imported.entries, problems: imported.problems }));
      else
        console.log(
          registered.length > 0 ? registered.map((line) => `registered ${line}`).join('\n') : 'nothing to import: no service publishes a port on the host',
        );
      if (imported.problems.some((problem) => problem.severity !== 'warning')) process.exitCode = 1;
    }),
  );
}
