/**
 * The workspace a command runs in: the nearest folder, from the current one up, holding a
 * `meshdesk.yaml` or a `disco/` folder (either alone is enough), found the way git finds its
 * repository, so `meshdesk route …` works from any subfolder of a project. Each workspace keeps its
 * own state (runtime routes and registrations, the admin token, the address of its running mesh) in
 * a folder of its own under the user's Meshdesk folder, so routes set in one project never show up
 * in the next, and the CLI finds the mesh of the project it runs in without flags. The state stays
 * out of the project itself: the admin token must not be committed with it.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { userStateDir } from '../mesh/index.js';

export const CONFIG_FILE = 'meshdesk.yaml';
export const DISCO_FOLDER = 'disco';

export interface Workspace {
  /** The workspace folder; null outside any (the demo, a folder with neither file). */
  root: string | null;
  /** Its meshdesk.yaml, when it has one. */
  configFile: string | null;
  /** Its disco/ folder, watched even before it exists (a folder created later is read then). */
  discoDir: string | null;
}

const NO_WORKSPACE: Workspace = { root: null, configFile: null, discoDir: null };

/** The workspace of `folder`: itself or the nearest parent with a meshdesk.yaml or a disco/ folder. */
export function findWorkspace(folder: string = process.cwd()): Workspace {
  for (let current = path.resolve(folder); ;) {
    if (isFile(path.join(current, CONFIG_FILE)) || isFolder(path.join(current, DISCO_FOLDER))) return workspaceAt(current);
    const parent = path.dirname(current);
    if (parent === current) return NO_WORKSPACE;
    current = parent;
  }
}

/**
 * The workspace `--config` names: a config file (its folder is the workspace, and its disco/ is
 * read), a workspace folder, or a disco/ folder itself (its parent is the workspace).
 */
export function workspaceOfFlag(flag: string): Workspace {
  const target = path.resolve(flag);
  if (!existsSync(target)) throw new Error(`config not found: ${flag} (give a meshdesk.yaml or a workspace folder)`);
  if (!isFolder(target)) return { root: path.dirname(target), configFile: target, discoDir: path.join(path.dirname(target), DISCO_FOLDER) };
  if (path.basename(target) === DISCO_FOLDER && !isFile(path.join(target, CONFIG_FILE))) return workspaceAt(path.dirname(target));
  return workspaceAt(target);
}

/** Where a workspace's state is kept: `<user folder>/workspaces/<folder name>-<hash of its path>`. */
export function workspaceStateDir(root: string, base: string = userStateDir()): string {
  const hash = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 10);
  const name = path.basename(root).replace(/[^A-Za-z0-9._-]/g, '_') || 'root';
  return path.join(base, 'workspaces', `${name}-${hash}`);
}

/**
 * The state folder a command uses: the one given (`--state-dir`, MESHDESK_STATE_DIR), else its
 * workspace's, else the user's own (the demo, and commands run outside any workspace).
 */
export function stateDirFor(workspace: Workspace, given: string | undefined): string {
  if (given) return path.resolve(given);
  return workspace.root ? workspaceStateDir(workspace.root) : userStateDir();
}

function workspaceAt(root: string): Workspace {
  const configFile = path.join(root, CONFIG_FILE);
  return { root, configFile: isFile(configFile) ? configFile : null, discoDir: path.join(root, DISCO_FOLDER) };
}

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isFolder(folder: string): boolean {
  return statSync(folder, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
