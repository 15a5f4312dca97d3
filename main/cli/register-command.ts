/** `meshdesk register` / `deregister`: add or remove an instance at runtime; the mesh persists it. */
import { Command, Option } from 'commander';
import { addAdminAccessOptions, withAdmin, type AdminAccessOptions } from './admin-access.js';

export function registerCommand(): Command {
  return addAdminAccessOptions(
    new Command('register')
      .description('register an instance of a service, e.g. `register world --version v2 127.0.0.1:7003`')
      .argument('<service>')
      .argument('<address>', 'host:port')
      .addOption(new Option('--version <version>', 'version label').default('default')),
  ).action((service: string, address: string, options: AdminAccessOptions & { version: string }) =>
    withAdmin(options, async (client) => {
      const services = await client.call('registerInstance', { service, version: options.version, address, origin: 'CLI' });
      console.log(options.json ? JSON.stringify(services) : `registered ${service}@${options.version} at ${address}`);
    }),
  );
}

export function deregisterCommand(): Command {
  return addAdminAccessOptions(
    new Command('deregister')
      .description('remove an instance registered at runtime')
      .argument('<service>')
      .argument('<address>', 'host:port')
      .option('--version <version>', 'only from this version'),
  ).action((service: string, address: string, options: AdminAccessOptions & { version?: string }) =>
    withAdmin(options, async (client) => {
      const services = await client.call('deregisterInstance', { service, address, ...(options.version ? { version: options.version } : {}) });
      console.log(options.json ? JSON.stringify(services) : `deregistered ${service}${options.version ? `@${options.version}` : ''} at ${address}`);
    }),
  );
}
