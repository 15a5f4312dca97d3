/** `meshdesk serve`: the mesh headless, with the dashboard at the admin address. */
import { Command, Option } from 'commander';
import { addListenOptions, type ListenOptions } from './options.js';
import { runMesh } from './run-mesh.js';
import { findWorkspace, stateDirFor, workspaceOfFlag } from './workspace.js';

export function serveCommand(): Command {
  return addListenOptions(new Command('serve').description('run the mesh headless: proxy, admin API and dashboard'))
    .addOption(
      new Option('-c, --config <file-or-folder>', 'a meshdesk.yaml or a workspace folder (default: the workspace this folder is in)').env('MESHDESK_CONFIG'),
    )
    .action(async (options: ListenOptions & { config?: string; grace: number }) => {
      const workspace = options.config ? workspaceOfFlag(options.config) : findWorkspace();
      await runMesh({ ...options, workspace, stateDir: stateDirFor(workspace, options.stateDir) });
    });
}
