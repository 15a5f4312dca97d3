/**
 * The one start-up sequence of a process that hosts the mesh, for `meshdesk serve`, `meshdesk demo`
 * and the desktop app alike: V8's heap settings, the admin token the CLI also reads, meshdesk.yaml
 * read before any part is built, then the other sources and the listeners. What differs between
 * the front ends stays with them: where the mesh's state is kept, what a taken port leads to (a
 * message and an exit code, or a dialog and another try), and what stops the mesh.
 */
import { loadOrCreateToken } from './admin/token-file.js';
import { tuneHeap } from './heap-tuning.js';
import { Mesh, type MeshAddresses, type MeshOptions } from './mesh.js';

export interface StartMeshOptions extends Omit<MeshOptions, 'adminToken'> {
  /** The folder holding the admin token, which the CLI's commands read to reach this mesh. */
  stateDir: string;
}

export interface StartedMesh {
  mesh: Mesh;
  addresses: MeshAddresses;
  adminToken: string;
}

/** Rejects with PortInUseError when a port is taken; nothing keeps running then. */
export async function startMesh(options: StartMeshOptions): Promise<StartedMesh> {
  // Only the settings V8 still takes once it runs: the rest are on the command line
  // (bin/meshdesk.js relaunches with them), which Electron's main process cannot have.
  tuneHeap();
  const { stateDir, ...meshOptions } = options;
  const adminToken = loadOrCreateToken(stateDir);
  const mesh = await Mesh.create({ ...meshOptions, adminToken });
  return { mesh, addresses: await mesh.start(), adminToken };
}
