/**
 * Real mode of the graph benchmark, one mesh size: the generated mesh run for real — an upstream
 * server per instance, the real `meshdesk serve` routing to them, and a load generator sending
 * every edge's rate through its proxy — and the same in-page measurement as the synthetic mode,
 * against the dashboard that mesh serves. What the synthetic feed stands in for (the proxy's work,
 * the push stream's real batches and stats) is then on the same two cores as Chromium, which is
 * the point: it shows what a developer with that mesh running would see.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIRequestContext, Browser } from '@playwright/test';
import { readPersistedToken } from '../../main/mesh/admin/token-file.js';
import { AdminClient } from '../../shared/admin-client.js';
import { forkChild, type BenchChild } from './child.js';
import { MESH_CPU, pinProcess } from './cpu-pinning.js';
import type { LoadPlan, LoadResult } from './edge-load.js';
import { expectedGraph, type GraphCounts } from './expected-graph.js';
import { startMesh, type BenchMesh } from '../request-log/mesh-process.js';
import { measureGraph, type GraphMeasurement } from './measure.js';
import { cpuSeconds, machineCpu, residentMegabytes } from './proc-cpu.js';
import { instanceCount, meshConfig } from './real-config.js';
import type { SyntheticMesh } from './synthetic-mesh.js';

export interface RealOptions {
  runs: number;
  seconds: number;
  /** Seconds of traffic before the first page load, so every edge exists and rates have settled. */
  warmup: number;
  connections: number;
  /** The mesh, its upstreams and the load generator confined to one CPU (cpu-pinning.ts). */
  pin: boolean;
}

export interface RealFigures {
  /** What the generated mesh should draw, and what the mesh's own stats said just before the first run. */
  generated: GraphCounts;
  reported: GraphCounts;
  load: LoadResult;
  /** From the mesh's stats just before the load stopped: its 10 s request rate, and every request it counted. */
  meshRps: number;
  meshCounted: number;
  /** Share of one core each process used while the browser measured; machine: busy cores of all. */
  cpu: { mesh: number; upstreams: number; load: number; machineBusyCores: number; cores: number; seconds: number };
  /** The mesh's resident memory when the measuring ended (its stats then hold every series of the mesh). */
  meshRssMb: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export async function measureRealMesh(
  browser: Browser,
  mesh: SyntheticMesh,
  options: RealOptions,
  progress: (line: string) => void,
): Promise<{ runs: GraphMeasurement[]; real: RealFigures }> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-bench-graph-'));
  let upstreams: BenchChild | null = null;
  let load: BenchChild | null = null;
  let serve: BenchMesh | null = null;
  try {
    const instances = instanceCount(mesh);
    upstreams = forkChild(path.join(here, 'upstream-servers.js'), [String(instances)]);
    const { ports } = await upstreams.next<{ ports: number[] }>();
    const configFile = path.join(workDir, 'meshdesk.yaml');
    writeFileSync(configFile, meshConfig(mesh, ports));
    serve = await startMesh(configFile, workDir);
    const token = readPersistedToken(serve.stateDir);
    if (!token) throw new Error(`meshdesk serve left no admin token in ${serve.stateDir}`);
    const admin = new AdminClient(serve.dashboardUrl, token);
    // measureGraph appends its own `/#/topology`.
    const dashboardUrl = serve.dashboardUrl.replace(/\/$/, '');
    progress(`${instances} upstream instances, mesh proxy ${serve.proxyUrl}, dashboard ${dashboardUrl}`);

    load = forkChild(path.join(here, 'edge-load.js'));
    const plan: LoadPlan = { proxyUrl: serve.proxyUrl, edges: mesh.edges, connections: options.connections, maxInFlight: options.connections * 8 };
    load.send(plan);
    progress(`${mesh.edges.length} edges at ${mesh.size.totalRps} req/s in total; ${options.warmup} s of traffic before the first page load`);
    await sleep(options.warmup * 1000);

    const generated = { nodes: mesh.size.services + 1, edges: mesh.size.edges };
    const reported = expectedGraph(
      mesh.services.map((service) => service.name),
      await admin.call('getStats'),
    );
    progress(`the mesh's stats make ${reported.nodes} nodes / ${reported.edges} edges (generated: ${generated.nodes} / ${generated.edges})`);

    const pids = { mesh: serve.pid, upstreams: upstreams.pid, load: load.pid };
    if (options.pin) for (const pid of Object.values(pids)) pinProcess(pid, MESH_CPU);
    const cpuBefore = {
      mesh: cpuSeconds(pids.mesh),
      upstreams: cpuSeconds(pids.upstreams),
      load: cpuSeconds(pids.load),
      machine: machineCpu(),
      at: performance.now(),
    };
    const runs: GraphMeasurement[] = [];
    for (let run = 0; run < options.runs; run++) {
      // bypassCSP: as in the synthetic mode (Playwright's string predicates need eval); it changes nothing else.
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
      try {
        // The first run uses the login URL the mesh printed; later ones a fresh one (each works once).
        const loginUrl = run === 0 ? serve.loginUrl : (await admin.call('createLoginUrl')).url;
        await signIn(context.request, loginUrl);
        const page = await context.newPage();
        progress(`${mesh.size.services} services / ${mesh.size.edges} edges (real), run ${run + 1}/${options.runs}…`);
        runs.push(await measureGraph(page, dashboardUrl, reported, options.seconds));
      } finally {
        await context.close();
      }
    }
    const wall = (performance.now() - cpuBefore.at) / 1000;
    const machine = machineCpu();
    const share = (pid: number, before: number) => Math.round(((cpuSeconds(pid) - before) / wall) * 100) / 100;
    const cpu = {
      mesh: share(pids.mesh, cpuBefore.mesh),
      upstreams: share(pids.upstreams, cpuBefore.upstreams),
      load: share(pids.load, cpuBefore.load),
      machineBusyCores: Math.round(((machine.busy - cpuBefore.machine.busy) / wall) * 100) / 100,
      cores: os.availableParallelism(),
      seconds: Math.round(wall),
    };

    const stats = await admin.call('getStats');
    const meshRssMb = residentMegabytes(pids.mesh);
    load.send('stop');
    const loadResult = await load.next<LoadResult>(30_000);
    const meshCounted = (await admin.call('getStats')).mesh.totals.requests;
    return { runs, real: { generated, reported, load: loadResult, meshRps: Math.round(stats.mesh.rps), meshCounted, cpu, meshRssMb } };
  } finally {
    await load?.stop();
    await serve?.stop();
    await upstreams?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Opens the login URL in the browser context's own cookie jar without rendering the dashboard: the
 * mesh answers 303 with the session cookie. Loading the page there would warm the HTTP and code
 * caches, and the first render measured next would no longer be a first visit (the synthetic mode
 * measures a cold context too).
 */
async function signIn(request: APIRequestContext, loginUrl: string): Promise<void> {
  const answer = await request.get(loginUrl, { maxRedirects: 0 });
  if (answer.status() !== 303 || !answer.headers()['set-cookie']) throw new Error(`login URL answered ${answer.status()}, no session cookie`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
