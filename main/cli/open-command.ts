/** `meshdesk open`: a fresh one-time login URL for the dashboard of a running mesh. */
import { Command } from 'commander';
import { addAdminAccessOptions, withAdmin, type AdminAccessOptions } from './admin-access.js';

export function openCommand(): Command {
  return addAdminAccessOptions(new Command('open').description('print a one-time URL that signs a browser into the dashboard')).action(
    (options: AdminAccessOptions) =>
      withAdmin(options, async (client) => {
        const { url } = await client.call('createLoginUrl');
        console.log(options.json ? JSON.stringify({ url }) : url);
      }),
  );
}
