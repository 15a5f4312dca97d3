/**
 * `npm run bench:shadow`: what shadow traffic costs the caller. Issue 18's target: shadowing 100% of
 * 1,000 req/s adds ≤ 5% to the caller's p50 and p99, one run measuring both.
 *
 * `meshdesk serve` (as a user starts it) with a meshdesk.yaml declaring `world` v1 and v2, two Node
 * upstreams answering small JSON; the mesh and the upstreams pinned to CPU 0, an open-loop
 * generator (open-loop-load.ts) on CPU 1 sending a fixed 1,000 req/s through the proxy. Each round
 * measures both conditions back to back, without and with a shadow rule v1 → v2 started and stopped
 * through the admin API with the mesh's token, alternating which goes first so a drifting machine
 * does not always favour the same one. Every copy goes to v2 on the same core, and the mesh compares
 * each pair and sends samples to v1 a second time to learn noise: all of it is work beside the
 * caller's requests, which is what the figures show.
 *
 * Prints markdown to stdout (progress to stderr) and writes every figure as JSON to
 * bench/results/shadow-<time>.json. Exit status 0 whether or not the target is met: it is a
 * measurement, not a test. `--help` for the options.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readPersistedToken } from '../../main/mesh/admin/token-file.js';
import { packageRoot } from '../../main/package-root.js';
import { AdminClient } from '../../shared/admin-client.js';
import type { ShadowView } from '../../shared/shadow.js';
import { clockTicksPerSecond, sampleProcess, threadCpuMs } from '../proxy/proc-stats.js';
import { findTools } from '../proxy/tools.js';
import { busyMsPerCpu } from './core-usage.js';
import { allowedCpus, LOAD_CORE, runLoad, SERVER_CORE, startServe, startUpstream, type Pinning, type Started } from './processes.js';
import { markdown, SHARED_CORE_PERCENT, summarize, type Condition, type Phase, type RunFacts } from './report.js';

const USAGE = `usage: npm run bench:shadow -- [options]
  --rate N          requests per second, open loop (default 1000)
  --seconds S       seconds measured per condition and round (default 20)
  --warmup S        unmeasured seconds before each measurement (default 3); the run also starts
                    with one unmeasured phase of each condition
  --rounds N        rounds, each measuring without and with shadowing (default 3)
  --percent P       the shadow rule's percent (default 100)
  --connections N   keep-alive connections the generator may open to the proxy (default 64)
  --body-bytes N    each version answers about N bytes of JSON (user records; default 0: about
                    150 bytes), for what comparing larger answers costs the mesh's main thread
  --results DIR     where the JSON goes (default bench/results)`;

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    percent: { type: 'string', default: '100' },
    connections: { type: 'string', default: '64' },
    'body-bytes': { type: 'string', default: '0' },
    results: { type: 'string', default: 'bench/results' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const positive = (name: keyof typeof values) => {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`bench: --${name} must be a positive number\n${USAGE}`);
    process.exit(2);
  }
  return value;
};
const plan = { rate: positive('rate'), seconds: positive('seconds'), warmup: Number(values.warmup) || 0, connections: positive('connections') };
const rounds = Math.floor(positive('rounds'));
const percent = Math.min(100, positive('percent'));
const bodyBytes = Math.max(0, Math.floor(Number(values['body-bytes']) || 0));

const SERVICE = 'world';
// The mesh runs from dist/ as `meshdesk serve` does, and this script only compiles bench/: say so before a stale build is measured.
if (!existsSync(path.join(packageRoot(), 'dist', 'main', 'mesh', 'shadow', 'shadowing.js'))) {
  console.error('bench: the built mesh has no shadow traffic; run `npm run build` first');
  process.exit(2);
}
const tools = findTools();
const notes: string[] = [];
if (!tools.taskset) notes.push('taskset not found: nothing is pinned, the figures are less comparable');
if (os.availableParallelism() < 2) notes.push('fewer than 2 CPUs: the mesh and the generator share one');
const pinning: Pinning = { taskset: tools.taskset && os.availableParallelism() >= 2 ? tools.taskset.path : null };
const ticksPerSecond = clockTicksPerSecond();
const workDir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-bench-shadow-'));
const children: Started[] = [];
const cleanUp = async () => {
  for (const child of children.splice(0).reverse()) await child.stop().catch(() => undefined);
  rmSync(workDir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

try {
  const v1 = await startUpstream(pinning, 'v1', bodyBytes);
  children.push(v1);
  const v2 = await startUpstream(pinning, 'v2', bodyBytes);
  children.push(v2);
  const configFile = path.join(workDir, 'meshdesk.yaml');
  writeFileSync(
    configFile,
    `services:\n  ${SERVICE}:\n    versions:\n      v1: { instances: [127.0.0.1:${v1.port}] }\n      v2: { instances: [127.0.0.1:${v2.port}] }\n`,
  );
  const mesh = await startServe(pinning, configFile, workDir);
  children.push(mesh);
  const client = new AdminClient(mesh.adminUrl, readPersistedToken(mesh.stateDir));
  progress(`mesh ${mesh.proxyUrl} (pid ${mesh.pid}, CPU ${mesh.cpus}); world v1 :${v1.port}, v2 :${v2.port}; ${plan.rate} req/s`);
  await checkRoute(mesh.proxyUrl);

  const rule = { service: SERVICE, from: 'v1', to: 'v2', percent, origin: 'api' as const };
  const phase = async (round: number, condition: Condition, warmupOnly = false): Promise<Phase> => {
    if (condition === 'with') await client.call('startShadow', rule);
    const before = cpuMs([mesh.pid, v1.pid, v2.pid]);
    // The mesh's main thread alone: the one serving the callers (its thread id is its pid).
    const mainBefore = threadCpuMs(mesh.pid, mesh.pid, ticksPerSecond);
    const coreBefore = busyMsPerCpu().get(SERVER_CORE);
    const startedAt = performance.now();
    const seconds = warmupOnly ? plan.warmup || 1 : plan.seconds;
    progress(`${warmupOnly ? 'warm-up' : `round ${round + 1}/${rounds}`}: ${condition} shadowing, ${plan.warmup} + ${seconds} s`);
    const load = await runLoad(pinning, mesh.proxyUrl, { ...plan, seconds });
    const after = cpuMs([mesh.pid, v1.pid, v2.pid]);
    const mainAfter = threadCpuMs(mesh.pid, mesh.pid, ticksPerSecond);
    const coreAfter = busyMsPerCpu().get(SERVER_CORE);
    const wallMs = performance.now() - startedAt;
    const shadow = condition === 'with' ? await settledView(client) : null;
    if (condition === 'with') {
      await client.call('stopShadow', { service: SERVICE });
      // Each phase with shadowing starts from an empty book, as a first rule would: its counts are its own.
      await client.call('clearDiffs', { service: SERVICE });
    }
    const sent = plan.rate * (plan.warmup + seconds);
    const [meshMs, v1Ms, v2Ms] = after.map((ms, index) => ms - (before[index] ?? 0));
    const upstreamsMs = (v1Ms ?? 0) + (v2Ms ?? 0);
    // What the server core did besides the mesh and its upstreams: other processes of a shared machine.
    const others = pinning.taskset && coreBefore !== undefined && coreAfter !== undefined ? coreAfter - coreBefore - (meshMs ?? 0) - upstreamsMs : null;
    // Let the phase's garbage be collected and its sockets close before the next one starts.
    await sleep(1_000);
    return {
      round,
      condition,
      load,
      cpu: {
        meshMs: meshMs ?? 0,
        upstreamsMs,
        meshUsPerRequest: ((meshMs ?? 0) * 1_000) / sent,
        meshMainUsPerRequest: mainBefore === null || mainAfter === null ? null : ((mainAfter - mainBefore) * 1_000) / sent,
        upstreamsUsPerRequest: (upstreamsMs * 1_000) / sent,
        othersOnServerCorePercent: others === null ? null : Math.max(0, Math.round((others / wallMs) * 1000) / 10),
        seconds: plan.warmup + seconds,
      },
      shadow,
    };
  };

  // The shadow's code paths and the plain proxy's both get hot before anything is measured.
  await phase(-1, 'without', true);
  await phase(-1, 'with', true);
  const phases: Phase[] = [];
  for (let round = 0; round < rounds; round++) {
    const order: Condition[] = round % 2 === 0 ? ['without', 'with'] : ['with', 'without'];
    for (const condition of order) phases.push(await phase(round, condition));
  }
  const busiest = Math.max(0, ...phases.map((measured) => measured.cpu.othersOnServerCorePercent ?? 0));
  if (busiest > SHARED_CORE_PERCENT) {
    notes.push(
      `other processes took up to ${busiest}% of CPU ${SERVER_CORE} during a phase (column "others on CPU 0"): those phases measure a shared machine as much as shadowing, ` +
        `so the target is judged on the quiet ones (≤ ${SHARED_CORE_PERCENT}%) when both conditions have some; rerun on a quiet machine to judge on all`,
    );
  }
  const errors = phases.reduce((total, measured) => total + measured.load.failed, 0);
  if (errors > 0) notes.push(`${errors} requests failed: a broken run, not a slow one (see statuses in the JSON)`);
  const facts: RunFacts = {
    ...plan,
    rounds,
    percent,
    bodyBytes,
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.availableParallelism(),
    node: process.versions.node,
    pinning: { mesh: mesh.cpus, 'world v1': v1.cpus, 'world v2': v2.cpus, 'load generator': pinning.taskset ? String(LOAD_CORE) : allowedCpus(process.pid) },
    notes,
  };
  const summary = summarize(phases);
  console.log(markdown(facts, phases, summary));
  const resultsDir = path.resolve(packageRoot(), values.results);
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `shadow-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ facts, summary, phases, loadAverage: os.loadavg() }, null, 2)}\n`);
  progress(`raw figures: ${path.relative(packageRoot(), file)}`);
} finally {
  await cleanUp();
}

/** One request through the proxy must reach v1 before anything is measured: a misrouted 502 would be fast. */
async function checkRoute(proxyUrl: string): Promise<void> {
  const { hostname, port } = new URL(proxyUrl);
  const body = await new Promise<string>((resolve, reject) => {
    http
      .get({ host: hostname, port, path: `http://${SERVICE}/users/1`, headers: { host: SERVICE } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`the proxy answered ${res.statusCode}: ${text}`))));
      })
      .on('error', reject);
  });
  if (!body.includes('"version":"v1"')) throw new Error(`the proxy did not route to world v1: ${body}`);
}

/** The rule's view once its copies in flight have all come back (at most 10 s). */
async function settledView(client: AdminClient): Promise<ShadowView | null> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const view = (await client.call('listShadows')).find((entry) => entry.service === SERVICE) ?? null;
    if (!view || view.stats.pending === 0 || Date.now() > deadline) return view;
    await sleep(100);
  }
}

function cpuMs(pids: number[]): number[] {
  return pids.map((pid) => sampleProcess(pid, ticksPerSecond)?.cpuMs ?? 0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function progress(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}
