/**
 * Where the headless mesh keeps what must survive a restart (the admin token, services and routes
 * registered at runtime): the platform's per-user config folder, overridable for tests and for
 * several meshes side by side. The desktop app uses Electron's userData folder instead.
 */
import os from 'node:os';
import path from 'node:path';

export function defaultStateDir(): string {
  return process.env.MESHDESK_STATE_DIR || userStateDir();
}

/** The user's own Meshdesk folder; each workspace's state is a folder inside it (cli/workspace.ts). */
export function userStateDir(): string {
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'meshdesk');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'meshdesk');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'meshdesk');
}
