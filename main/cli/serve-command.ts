/** `meshdesk serve`: the mesh headless, with the dashboard at the admin address. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { addListenOptions, type ListenOptions } from './options.js';
import { runMesh } from './run-mesh.js';

export function serveCommand(): Command {
  return addListenOptions(new Command('serve').description('run the mesh headless: proxy, admin API and dashboard'))
    .addOption(new Option('-c, --config <file>', 'workspace config (default: ./meshdesk.yaml when present)').env('MESHDESK_CONFIG'))
    .action(async (options: ListenOptions & { config?: string; grace: number }) => {
      await runMesh({ ...options, configFile: resolveConfig(options.config) });
    });
}

export function resolveConfig(flag: string | undefined): string | null {
  if (flag) {
    const file = path.resolve(flag);
    if (!existsSync(file)) throw new Error(`config file not found: ${flag}`);
    return file;
  }
  const local = path.resolve('meshdesk.yaml');
  return existsSync(local) ? local : null;
}
