/**
 * `meshdesk demo` (`npm run demo`): the mesh with the demo workspace, the demo services and a
 * traffic generator, so there is something to see at once.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { packageRoot } from '../package-root.js';
import { DemoProcesses, freePort, takenPort } from '../mesh/index.js';
import { addListenOptions, type ListenOptions } from './options.js';
import { runMesh } from './run-mesh.js';
import { stateDirFor } from './workspace.js';

interface DemoOptions extends ListenOptions {
  grace: number;
  freePorts: boolean;
  traffic: boolean;
  rps: number;
}

const DEMO_PORTS = { hello: 7001, worldV1: 7002, worldV2: 7003 };

export function demoCommand(): Command {
  return addListenOptions(new Command('demo').description('run the mesh with the demo services and traffic'))
    .addOption(new Option('--free-ports', 'run the demo services on free ports instead of 7001-7003').default(false))
    .addOption(new Option('--no-traffic', 'do not start the traffic generator'))
    .addOption(new Option('--rps <n>', 'traffic generator requests per second').argParser(Number).default(5))
    .action(async (options: DemoOptions) => {
      const ports = await demoPorts(options.freePorts);
      const configFile = demoConfig(ports);
      let processes: DemoProcesses | null = null;
      // The demo is no workspace: its config is generated, and its state is the user's own folder.
      const workspace = { root: null, configFile, discoDir: null };
      const running = await runMesh({ ...options, workspace, stateDir: stateDirFor(workspace, options.stateDir), onStop: async () => processes?.stopAll() });
      if (!running) return;
      processes = new DemoProcesses(running.addresses.proxyUrl);
      try {
        await processes.start({ label: 'world v1', script: 'world', args: ['--port', `${ports.worldV1}`, '--version', 'v1'] });
        await processes.start({ label: 'world v2', script: 'world', args: ['--port', `${ports.worldV2}`, '--version', 'v2'] });
        await processes.start({ label: 'hello', script: 'hello', args: ['--port', `${ports.hello}`] });
        if (options.traffic) await processes.start({ label: 'traffic', script: 'traffic', args: ['--rps', `${options.rps}`], proxyUser: 'traffic' });
      } catch (error) {
        console.error(`meshdesk: the demo could not start: ${error instanceof Error ? error.message : String(error)}`);
        await processes.stopAll();
        await running.mesh.stop(0);
        process.exit(1);
      }
      console.log(`meshdesk: demo ready. Open ${running.addresses.adminUrl}/ — try: curl -x ${running.addresses.proxyUrl} http://hello/`);
    });
}

/**
 * The demo services' ports: 7001–7003, as the shipped config and the README say, unless one is
 * taken (another demo, a service of the user's) or free ports were asked for; then free ones, as
 * the dashboard's "Load the demo" does, with one line saying why.
 */
async function demoPorts(free: boolean): Promise<typeof DEMO_PORTS> {
  if (!free) {
    const taken = await takenPort(Object.values(DEMO_PORTS));
    if (taken === null) return DEMO_PORTS;
    console.log(`meshdesk: port ${taken} is taken; the demo services run on free ports instead`);
  }
  return { hello: await freePort(), worldV1: await freePort(), worldV2: await freePort() };
}

/** The shipped demo config, or a copy with the chosen ports when they differ. */
function demoConfig(ports: typeof DEMO_PORTS): string {
  const shipped = path.join(packageRoot(), 'resources', 'demo', 'meshdesk.yaml');
  if (ports === DEMO_PORTS) return shipped;
  const text = readFileSync(shipped, 'utf8').replace(':7001', `:${ports.hello}`).replace(':7002', `:${ports.worldV1}`).replace(':7003', `:${ports.worldV2}`);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'meshdesk-demo-')), 'meshdesk.yaml');
  writeFileSync(file, text);
  return file;
}
