/**
 * Starts a Mesh in this process, prints where everything is, and shuts it down cleanly on SIGINT or
 * SIGTERM (a second signal exits at once). Shared by `serve` and `demo`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { exportLine } from '../../shared/export-line.js';
import { loadOrCreateToken } from '../mesh/admin/token-file.js';
import { PortInUseError } from '../mesh/listen.js';
import { Mesh, type MeshAddresses } from '../mesh/mesh.js';
import { rendererRoot } from '../package-root.js';
import type { ListenOptions } from './options.js';

export interface RunOptions extends ListenOptions {
  configFile: string | null;
  grace: number;
  /** Called after the mesh has stopped, before the process exits. */
  onStop?: () => Promise<void>;
}

export async function runMesh(options: RunOptions): Promise<{ mesh: Mesh; addresses: MeshAddresses } | null> {
  const mesh = new Mesh({ ...options, rendererRoot: rendererRoot(), adminToken: loadOrCreateToken(options.stateDir) });
  let addresses: MeshAddresses;
  try {
    addresses = await mesh.start();
  } catch (error) {
    if (error instanceof PortInUseError) {
      console.error(`meshdesk: ${error.message}; choose another with --${error.role}-port`);
      process.exitCode = 1;
      return null;
    }
    throw error;
  }
  printBanner(mesh, addresses, options.configFile);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`meshdesk: ${signal}, finishing in-flight requests (up to ${options.grace} ms)…`);
    mesh
      .stop(options.grace)
      .then(() => options.onStop?.())
      .then(() => {
        console.log('meshdesk: stopped');
        process.exit(0);
      }, (error: unknown) => {
        console.error('meshdesk: error while stopping:', error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return { mesh, addresses };
}

function printBanner(mesh: Mesh, addresses: MeshAddresses, configFile: string | null): void {
  const services = mesh.registry.list();
  console.log(`meshdesk: proxy      ${addresses.proxyUrl}`);
  console.log(`meshdesk: dashboard  ${addresses.adminUrl}/`);
  console.log(`meshdesk: login      ${addresses.loginUrl}   (open this once; it signs the browser in)`);
  console.log(`meshdesk: config     ${configFile ? path.relative(process.cwd(), configFile) || configFile : '(none: no meshdesk.yaml here)'}`);
  console.log(`meshdesk: services   ${services.length > 0 ? services.map((s) => s.name).join(', ') : '(none yet)'}`);
  for (const error of mesh.configErrorList) {
    console.error(`meshdesk: config error ${error.file}:${error.line}:${error.column} ${error.message}`);
  }
  if (!existsSync(path.join(rendererRoot(), 'index.html'))) {
    console.error('meshdesk: the dashboard is not built; run `npm run build`');
  }
  console.log(`meshdesk: in your shell: ${exportLine(addresses.proxyUrl)}`);
}
