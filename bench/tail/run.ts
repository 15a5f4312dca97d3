/**
 * `npm run bench:tail`: what sets a proxy's p99 at one connection. A proxy (Meshdesk with events on,
 * or bare undici) and a Node upstream share core 0; after priming the proxy with wrk, a sequential
 * client on core 1 (sequential-client.ts) sends one request at a time and keeps every request's start
 * and latency, while the proxy records its garbage collections (gc-recorder.ts, loaded with
 * `--import`). The report gives, per proxy and run, how often the proxy collects young objects and how
 * many of the requests at or above the p99 were waiting while it did. Prints markdown (progress on
 * stderr) and writes bench/results/tail-<time>.json. A measurement, not a test. `--help` for options.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LOAD_CORE, meshStartupFlags, peerStartupFlags, pinned, startNodeChild, type NodeChild } from '../proxy/children.js';
import { childScript, writeMeshConfig } from '../proxy/rig.js';
import { findTools } from '../proxy/tools.js';
import { Wrk } from '../proxy/wrk.js';
import { analyze, type TailAnalysis } from './analysis.js';
import type { GcRecord } from './gc-recorder.js';

const USAGE = `usage: npm run bench:tail -- [options]
  --seconds S       seconds of sequential requests per run (default 5)
  --runs N          runs per proxy (default 2)
  --prime S         seconds of wrk load at 50 connections before the runs (default 12)
  --mesh-node-flags=F  more Node/V8 flags for the Meshdesk process, after the ones it ships with
                    (e.g. "--mesh-node-flags=--max-semi-space-size=4")
  --results DIR     where the JSON goes (default bench/results)`;

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '2' },
    prime: { type: 'string', default: '12' },
    'mesh-node-flags': { type: 'string', default: '' },
    results: { type: 'string', default: 'bench/results' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const prime = Number(values.prime);
if (![seconds, runs, prime].every((n) => Number.isFinite(n) && n > 0)) {
  console.error(`bench: --seconds, --runs and --prime must be positive numbers\n${USAGE}`);
  process.exit(2);
}
const tools = findTools();
if (!tools.wrk || !tools.taskset || os.availableParallelism() < 2) {
  console.error('bench: wrk, taskset and two CPUs are required (apt-get install wrk util-linux)');
  process.exit(1);
}
const pinning = { taskset: tools.taskset.path };
const here = path.dirname(fileURLToPath(import.meta.url));
const workDir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-tail-'));
const wrk = new Wrk(tools.wrk.path, pinning, workDir);
const meshFlags = [...meshStartupFlags(pinning), ...values['mesh-node-flags'].split(/\s+/).filter(Boolean)];
const startedAt = new Date();

interface ProxyResult {
  proxy: 'Meshdesk, events on' | 'bare undici';
  flags: string[];
  runs: TailAnalysis[];
}
const results: ProxyResult[] = [];
const stops: (() => Promise<void>)[] = [];
try {
  const upstream = await startNodeChild(pinning, childScript('upstream-child'), [], [...peerStartupFlags(pinning)]);
  stops.push(() => upstream.stop());
  const proxies = [
    // Meshdesk routes by the Host header to the service the config names; bare undici forwards whatever it gets.
    { proxy: 'Meshdesk, events on', script: 'meshdesk-child', args: [writeMeshConfig(workDir, upstream.port), 'on', '0'], flags: meshFlags, host: 'bench' },
    { proxy: 'bare undici', script: 'undici-child', args: [String(upstream.port)], flags: [...peerStartupFlags(pinning)], host: null },
  ] as const;
  for (const { proxy, script, args, flags, host } of proxies) {
    const gcFile = path.join(workDir, `gc-${results.length}.json`);
    // The child inherits this process's environment: the recorder reads where to write from it.
    process.env.MESHDESK_BENCH_GC_FILE = gcFile;
    const child: NodeChild = await startNodeChild(pinning, childScript(script), [...args], [...flags, '--import', path.join(here, 'gc-recorder.js')]);
    stops.push(() => child.stop());
    const target = { port: child.port, host, requestTarget: null };
    console.error(`bench: ${proxy}: priming for ${prime} s`);
    await wrk.run(target, 50, prime);
    await wrk.run(target, 1, 2);
    const measured: TailAnalysis[] = [];
    for (let run = 0; run < runs; run++) {
      console.error(`bench: ${proxy}: run ${run + 1}/${runs}`);
      const [file, argv] = pinned(pinning, LOAD_CORE, process.execPath, [
        path.join(here, 'sequential-client.js'),
        String(child.port),
        host ?? '127.0.0.1',
        String(seconds),
      ]);
      const client = JSON.parse(execFileSync(file, argv, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as { starts: number[]; latencies: number[] };
      process.kill(child.pid, 'SIGUSR2');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const collections = JSON.parse(readFileSync(gcFile, 'utf8')) as GcRecord[];
      measured.push(analyze(client.starts, client.latencies, collections));
    }
    results.push({ proxy, flags: [...flags], runs: measured });
    // Stopped now (stopping it again at the end is a no-op), so an idle proxy never shares the core with the next one.
    await child.stop();
  }
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  rmSync(workDir, { recursive: true, force: true });
}

const ms = (value: number | null) => (value === null ? '–' : value.toFixed(3));
const out = [
  `## One-connection tail and garbage collection, ${startedAt.toISOString()}`,
  '',
  `Node upstream and the proxy on core 0, the sequential client on core 1; ${prime} s of wrk at 50 connections first, then ${runs} run(s) of ${seconds} s per proxy.`,
  `Meshdesk runs with ${meshFlags.join(' ')}; bare undici with ${peerStartupFlags(pinning).join(' ') || "V8's defaults"}.`,
  '',
  '| proxy | run | requests | p50 ms | p99 ms | young collections | requests per young collection | median young pause ms | requests ≥ p99 | of those, during a collection |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...results.flatMap((result) =>
    result.runs.map(
      (r, i) =>
        `| ${result.proxy} | ${i + 1} | ${r.requests} | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${r.youngCollections} | ${r.requestsPerYoung === null ? '–' : Math.round(r.requestsPerYoung)} | ${ms(r.youngPauseMedianMs)} | ${r.slow} | ${r.slowDuringGc} |`,
    ),
  ),
  '',
];
console.log(out.join('\n'));
mkdirSync(values.results, { recursive: true });
const file = path.join(values.results, `tail-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ startedAt: startedAt.toISOString(), seconds, runs, prime, results }, null, 2)}\n`);
console.error(`bench: results written to ${file}`);
