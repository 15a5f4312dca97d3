/**
 * The mesh as its front ends see it. The CLI (main/cli) and the desktop shell (main/electron) import
 * only this module, and a lint rule in eslint.config.js refuses their imports past it, so the
 * mesh's parts can be split, merged and rewired without touching a front end. What is here is
 * what a front end needs: start a mesh and stop it, keep its state, reach a running one, and the
 * few helpers the CLI's commands run outside a mesh.
 */
export { Mesh, type MeshAddresses, type MeshOptions } from './mesh.js';
export { startMesh, type StartedMesh, type StartMeshOptions } from './start-mesh.js';
export { PortInUseError } from './listen.js';

export { readPersistedToken } from './admin/token-file.js';
export { defaultStateDir, userStateDir } from './state-dir.js';
export { MESHDESK_VERSION } from './version.js';
export { STARTUP_NODE_FLAGS } from './heap-tuning.js';
export { METRIC_NAMES } from './telemetry/metrics.js';

export type { StateStore } from './store/state-store.js';
export { JsonFileStore } from './store/json-file-store.js';
export { emptyMeshState, type MeshState } from './store/mesh-state.js';

export { DemoProcesses, freePort, takenPort } from './demo/demo-processes.js';
export { importDockerCompose } from './config/docker-compose.js';
export { parseDiscoName } from './config/disco-format.js';
export { listenersStartedIn, type FolderListener } from './os/folder-listeners.js';
