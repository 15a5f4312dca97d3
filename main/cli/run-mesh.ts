/**
 * Starts a Mesh in this process (the start-up sequence the desktop app runs too), prints where
 * everything is, and shuts it down cleanly on SIGINT or SIGTERM (a second signal exits at once).
 * Shared by `serve` and `demo`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { exportLine } from '../../shared/export-line.js';
import { JsonFileStore, emptyMeshState, PortInUseError, startMesh, type Mesh, type MeshAddresses, type StartedMesh } from '../mesh/index.js';
import { rendererRoot } from '../package-root.js';
import type { ListenOptions } from './options.js';
import { forgetRunningMesh, recordRunningMesh } from './running-mesh.js';
import type { Workspace } from './workspace.js';

export interface RunOptions extends ListenOptions {
  workspace: Workspace;
  stateDir: string;
  grace: number;
  /** Called after the mesh has stopped, before the process exits. */
  onStop?: () => Promise<void>;
}

export async function runMesh(options: RunOptions): Promise<StartedMesh | null> {
  const stateStore = new JsonFileStore({ directory: options.stateDir, defaults: emptyMeshState() });
  if (stateStore.movedAside) console.error(`meshdesk: the state file could not be read; it was moved to ${stateStore.movedAside}`);
  let started: StartedMesh;
  try {
    const { workspace, ...listen } = options;
    started = await startMesh({ ...listen, configFile: workspace.configFile, discoDir: workspace.discoDir, rendererRoot: rendererRoot(), stateStore });
  } catch (error) {
    if (error instanceof PortInUseError) {
      console.error(`meshdesk: ${error.message}; choose another with --${error.role}-port`);
      process.exitCode = 1;
      return null;
    }
    throw error;
  }
  const { mesh, addresses } = started;
  recordRunningMesh(options.stateDir, { pid: process.pid, adminUrl: addresses.adminUrl, proxyUrl: addresses.proxyUrl, workspace: options.workspace.root });
  printBanner(mesh, addresses, options);
  let stoppingSince: number | null = null;
  const stop = (signal: string) => {
    if (stoppingSince !== null) {
      // conf's atomic writer (when-exit) re-raises the signal it intercepted: a repeat within a
      // second is the same request. A later one is the user insisting.
      if (Date.now() - stoppingSince < 1_000) return;
      process.exit(130);
    }
    stoppingSince = Date.now();
    console.log(`meshdesk: ${signal}, finishing in-flight requests (up to ${options.grace} ms)…`);
    forgetRunningMesh(options.stateDir);
    mesh
      .stop(options.grace)
      .then(() => options.onStop?.())
      .then(
        () => {
          console.log('meshdesk: stopped');
          process.exit(0);
        },
        (error: unknown) => {
          console.error('meshdesk: error while stopping:', error);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return started;
}

function printBanner(mesh: Mesh, addresses: MeshAddresses, { workspace, stateDir }: RunOptions): void {
  const services = mesh.registry.list();
  console.log(`meshdesk: proxy      ${addresses.proxyUrl}`);
  console.log(`meshdesk: dashboard  ${addresses.adminUrl}/`);
  console.log(`meshdesk: login      ${addresses.loginUrl}   (open this once; it signs the browser in)`);
  console.log(`meshdesk: workspace  ${workspace.root ?? '(none: no meshdesk.yaml or disco/ in this folder or above)'}`);
  console.log(`meshdesk: config     ${describeSources(workspace)}`);
  console.log(`meshdesk: state      ${stateDir}`);
  console.log(`meshdesk: services   ${services.length > 0 ? services.map((s) => s.name).join(', ') : '(none yet)'}`);
  for (const error of mesh.configErrorList) {
    console.error(`meshdesk: config error ${error.file}:${error.line}:${error.column} ${error.message}`);
  }
  if (!existsSync(path.join(rendererRoot(), 'index.html'))) {
    console.error('meshdesk: the dashboard is not built; run `npm run build`');
  }
  console.log(`meshdesk: in your shell: ${exportLine(addresses.proxyUrl)}`);
}

function describeSources({ configFile, discoDir }: Workspace): string {
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  const sources = [configFile && shown(configFile), discoDir && existsSync(discoDir) ? `${shown(discoDir)}${path.sep}` : null];
  const found = sources.filter((source) => source !== null);
  return found.length > 0 ? found.join(' + ') : '(none yet: `meshdesk init` writes a meshdesk.yaml)';
}
