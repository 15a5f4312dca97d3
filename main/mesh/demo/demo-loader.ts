/**
 * "Load the demo" in a running mesh: the dashboard's first-run button. Starts the demo services
 * (world v1 and v2, hello, and a traffic generator) as child processes on free ports, with
 * http_proxy pointing at this mesh, and registers them from a source of their own, `demo`. Nothing
 * is persisted: the services live as long as the mesh (or until unloaded), and so do their entries.
 *
 * It refuses, saying why, when the names it needs are taken, rather than mixing its instances into
 * the user's own `hello` or `world`.
 */
import type { InstanceEntry, Registry } from '../registry/registry.js';
import { MeshError } from '../mesh-error.js';
import { DemoProcesses, freePort } from './demo-processes.js';

export const DEMO_SOURCE = 'demo';
export const DEMO_SERVICES: readonly string[] = ['hello', 'world'];
const TRAFFIC_RPS = 5;

export interface DemoLoaderOptions {
  registry: Registry;
  proxyUrl: () => string;
  log: (line: string) => void;
  /** Told after the demo was loaded or unloaded. */
  onChange: () => void;
}

export class DemoLoader {
  private processes: DemoProcesses | null = null;
  /** The load in progress, so that two clicks start one demo. */
  private loading: Promise<void> | null = null;

  constructor(private readonly options: DemoLoaderOptions) {}

  get running(): boolean {
    return this.processes !== null;
  }

  /** Starts the demo services and registers them; resolves once they answer (at once if running). */
  load(): Promise<void> {
    if (this.processes) return Promise.resolve();
    this.loading ??= this.start().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** Stops the demo services and removes their entries; nothing when none run. */
  async unload(): Promise<void> {
    await this.loading?.catch(() => undefined);
    const processes = this.processes;
    this.processes = null;
    this.options.registry.replaceSource(DEMO_SOURCE, []);
    if (!processes) return;
    await processes.stopAll();
    this.options.onChange();
    this.options.log('meshdesk: demo unloaded');
  }

  private async start(): Promise<void> {
    const { registry, log } = this.options;
    const taken = DEMO_SERVICES.filter((name) => registry.lookup(name) !== undefined);
    if (taken.length > 0) {
      throw new MeshError(
        409,
        `the demo needs the service names ${DEMO_SERVICES.join(' and ')}, and ${taken.join(' and ')} ${taken.length > 1 ? 'are' : 'is'} already registered here`,
      );
    }
    const ports = { hello: await freePort(), worldV1: await freePort(), worldV2: await freePort() };
    const processes = new DemoProcesses(this.options.proxyUrl(), { out: log, err: log });
    const entries: InstanceEntry[] = [
      { service: 'world', version: 'v1', address: `127.0.0.1:${ports.worldV1}`, origin: DEMO_SOURCE },
      { service: 'world', version: 'v2', address: `127.0.0.1:${ports.worldV2}`, origin: DEMO_SOURCE },
      { service: 'hello', version: 'default', address: `127.0.0.1:${ports.hello}`, origin: DEMO_SOURCE },
    ];
    try {
      await processes.start({ label: 'world v1', script: 'world', args: ['--port', `${ports.worldV1}`, '--version', 'v1'] });
      await processes.start({ label: 'world v2', script: 'world', args: ['--port', `${ports.worldV2}`, '--version', 'v2'] });
      await processes.start({ label: 'hello', script: 'hello', args: ['--port', `${ports.hello}`] });
      registry.replaceSource(DEMO_SOURCE, entries);
      // Registered first, so that its first call already finds hello.
      await processes.start({ label: 'traffic', script: 'traffic', args: ['--rps', `${TRAFFIC_RPS}`], proxyUser: 'traffic' });
    } catch (error) {
      registry.replaceSource(DEMO_SOURCE, []);
      await processes.stopAll();
      throw new Error(`the demo could not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    this.processes = processes;
    this.options.onChange();
    log(`meshdesk: demo loaded (hello ${entries[2]?.address}, world v1 ${entries[0]?.address}, v2 ${entries[1]?.address}, traffic ${TRAFFIC_RPS} req/s)`);
  }
}
