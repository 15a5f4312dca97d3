/**
 * `meshdesk init [folder]`: writes a commented meshdesk.yaml for a workspace from what it finds
 * there — processes started from the folder that listen on ports, the services a
 * docker-compose.yml publishes, and a disco/ folder (mentioned, since the mesh reads it as it is).
 * It never overwrites a meshdesk.yaml without --force: the file is the developer's once written.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { importDockerCompose, listenersStartedIn, parseDiscoName } from '../mesh/index.js';
import { packageRoot } from '../package-root.js';
import { instancesOfListeners, renderInitConfig, type FoundInstance } from './init-config.js';
import { readRunningMesh } from './running-mesh.js';
import { CONFIG_FILE, DISCO_FOLDER, stateDirFor } from './workspace.js';

const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

interface InitOptions {
  force?: boolean;
  stdout?: boolean;
}

export function initCommand(): Command {
  return new Command('init')
    .description('write a commented meshdesk.yaml from the services found in this folder')
    .argument('[folder]', 'the workspace folder', '.')
    .option('--force', 'replace an existing meshdesk.yaml')
    .option('--stdout', 'print the file instead of writing it')
    .action(async (folder: string, options: InitOptions) => {
      const root = path.resolve(folder);
      const target = path.join(root, CONFIG_FILE);
      if (!options.stdout && existsSync(target) && !options.force) {
        console.error(`meshdesk: ${target} exists; edit it, or pass --force to write a new one`);
        process.exitCode = 1;
        return;
      }
      const text = renderInitConfig(await findInWorkspace(root));
      if (options.stdout) {
        process.stdout.write(text);
        return;
      }
      writeFileSync(target, text);
      console.log(`meshdesk: wrote ${target}`);
      console.log('meshdesk: check it, then run `meshdesk serve` in this folder (a running mesh of this workspace reloads it now)');
    });
}

async function findInWorkspace(root: string) {
  const instances: FoundInstance[] = [];
  for (const name of COMPOSE_FILES) {
    const file = path.join(root, name);
    if (!existsSync(file)) continue;
    const imported = await importDockerCompose(file);
    for (const problem of imported.problems) console.error(`meshdesk: ${problem.file}:${problem.line} ${problem.message}`);
    instances.push(...imported.entries);
    break;
  }
  // The workspace's own mesh listens too, started from this folder: it is not a service of it.
  const mesh = readRunningMesh(stateDirFor({ root, configFile: null, discoDir: null }, process.env.MESHDESK_STATE_DIR));
  const exclude = new Set([process.pid, ...(mesh ? [mesh.pid] : [])]);
  const listeners = await listenersStartedIn(root, exclude);
  const composePorts = new Set(instances.map((instance) => Number(instance.address.slice(instance.address.lastIndexOf(':') + 1))));
  const running = (listeners ?? []).filter((listener) => !listener.ports.some((port) => composePorts.has(port)));
  instances.push(...instancesOfListeners(running, root, new Set(instances.map((instance) => instance.service))));
  return {
    schemaPath: path.join(packageRoot(), 'resources', 'meshdesk.schema.json'),
    instances,
    discoFiles: discoFilesIn(path.join(root, DISCO_FOLDER)),
    ...(listeners === null ? { processScanUnavailable: `reading processes is supported on Linux only (this is ${process.platform})` } : {}),
  };
}

function discoFilesIn(folder: string): string[] {
  try {
    return readdirSync(folder).filter((name) => {
      const parsed = parseDiscoName(name);
      return !parsed.ignored && !('error' in parsed && parsed.error);
    });
  } catch {
    return [];
  }
}
