/**
 * Opens the desktop app's state files with electron-store, in Electron's userData folder. The
 * shell's own state (window, settings) has its schema and migrations in desktop-state.ts; the
 * mesh's state file uses the same adapter with the mesh's shape. Files that cannot be read are
 * moved aside rather than lost (state-file.ts).
 *
 * electron-store also registers an IPC listener ('electron-store-get-data') so that renderers can
 * open stores; our renderer never does, and that listener would answer any frame without the
 * sender checks of ipc.ts, so it is removed right after the store is created.
 */
import path from 'node:path';
import { ipcMain } from 'electron';
import ElectronStore, { type Options } from 'electron-store';
import { emptyMeshState, type MeshState } from '../mesh/index.js';
import { desktopStoreOptions, type DesktopState } from './desktop-state.js';
import { KeyValueStateStore, openStateFile, type OpenedStateFile } from './state-file.js';

const ELECTRON_STORE_CHANNEL = 'electron-store-get-data';

export function openElectronStore<State extends Record<string, unknown>>(
  directory: string,
  name: string,
  options: Omit<Options<State>, 'cwd' | 'name'>,
): OpenedStateFile<KeyValueStateStore<State>> {
  const opened = openStateFile(
    () => new KeyValueStateStore<State>(new ElectronStore<State>({ ...options, cwd: directory, name })),
    path.join(directory, `${name}.json`),
  );
  ipcMain.removeAllListeners(ELECTRON_STORE_CHANNEL);
  return opened;
}

export function openDesktopStore(directory: string, appVersion: string): OpenedStateFile<KeyValueStateStore<DesktopState>> {
  return openElectronStore<DesktopState>(directory, 'desktop', desktopStoreOptions(appVersion));
}

/**
 * The mesh's state file. Its records are validated by the mesh when it loads them (the same zod
 * schemas as new input), so no JSON schema here: one bad record is skipped and reported there,
 * where a schema here would refuse the whole file.
 */
export function openMeshStore(directory: string): OpenedStateFile<KeyValueStateStore<MeshState>> {
  return openElectronStore<MeshState>(directory, 'mesh-state', {
    defaults: emptyMeshState(),
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
  });
}
