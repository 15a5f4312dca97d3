/**
 * `meshdesk status`: where a running mesh listens, what it serves (each instance with its health
 * from its check and from traffic), and the config errors it is holding out against (the last good
 * config stays in force while they stand). Exit code 1 while there are errors, so scripts and
 * editors' save hooks can check a save.
 */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { addAdminAccessOptions, withAdmin, type AdminAccessOptions } from './admin-access.js';
import { instanceHealthRows, instanceHealthTable } from './instance-health.js';
import { colour } from './output.js';

export function statusCommand(): Command {
  return addAdminAccessOptions(new Command('status').description('where the mesh listens, its services, and any config errors')).action(
    (options: AdminAccessOptions) =>
      withAdmin(options, async (client) => {
        const [info, services] = await Promise.all([client.call('getInfo'), client.call('listServices')]);
        const errors = info.configErrors.filter((problem) => problem.severity !== 'warning');
        if (options.json) {
          console.log(JSON.stringify({ ...info, services: services.map((service) => service.name), instances: instanceHealthRows(services) }));
        } else {
          console.log(`proxy      ${info.proxyUrl}`);
          console.log(`dashboard  ${info.adminUrl}/`);
          console.log(
            `config     ${[info.configFile, info.discoDir && existsSync(info.discoDir) ? info.discoDir : null].filter(Boolean).join(' + ') || '(none)'}`,
          );
          console.log(`services   ${services.length > 0 ? services.map((service) => service.name).join(', ') : '(none)'}`);
          for (const problem of info.configErrors) {
            const label = problem.severity === 'warning' ? colour('warning', 'yellow') : colour('error', 'red');
            console.log(`${label} ${problem.file}:${problem.line}:${problem.column} ${problem.message}`);
          }
          if (errors.length > 0) console.log('the last good config stays in force until the file is fixed');
          // Each instance's health: from its check, and from the traffic the mesh forwarded to it.
          if (services.length > 0) console.log(`\n${instanceHealthTable(instanceHealthRows(services))}`);
        }
        if (errors.length > 0) process.exitCode = 1;
      }),
  );
}
