/**
 * `npm run bench:proxy`: Meshdesk's proxy against a direct call, bare http-proxy, bare undici and
 * nginx, side by side in one run on loopback, with servers pinned to core 0 and wrk to core 1 (and
 * Meshdesk inside CONNECT tunnels against absolute URIs, both sent by the bench's Node generator).
 * Prints markdown to stdout (progress goes to stderr) and writes every raw figure as JSON to
 * bench/results/. See bench/README.md for what each row is and how to read the numbers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LONG_TARGET_LABELS, longRun, longRunText, type LongRunResult } from './long-run.js';
import { measureRow, type RowMeasurement } from './measure.js';
import { NodeLoad } from './node-load.js';
import { parseOptions } from './options.js';
import { clockTicksPerSecond } from './proc-stats.js';
import { newestProfile, profileText, summarizeProfile, type ProfileSummary } from './profile-summary.js';
import { checkTargets, compareCpu, cpuComparisonLines, markdownTable, ROW_LABELS_NOTE, summarize, targetLines, type TargetCheck } from './report.js';
import { chooseUpstream, ROW_LABELS, startRig, type Rig } from './rig.js';
import { findTools } from './tools.js';
import { Wrk } from './wrk.js';

const options = parseOptions(process.argv.slice(2));
const tools = findTools();
if (!tools.wrk) {
  console.error('bench: wrk is required and was not found on PATH; install it (Debian/Ubuntu: apt-get install wrk)');
  process.exit(1);
}
const notes: string[] = [];
if (!tools.nginx) notes.push('nginx is not installed: the nginx row is skipped and the Node upstream is used (apt-get install nginx-light)');
if (!tools.taskset) notes.push('taskset not found: processes are not pinned to cores, figures are less comparable');
if (os.availableParallelism() < 2) notes.push('fewer than 2 CPUs: servers and wrk share one core');

const pinning = { taskset: tools.taskset && os.availableParallelism() >= 2 ? tools.taskset.path : null };
const workDir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-bench-'));
const wrk = new Wrk(tools.wrk.path, pinning, workDir);
const generators = { wrk, node: new NodeLoad(pinning) };
const ticksPerSecond = clockTicksPerSecond();
const upstreamKind = chooseUpstream(options, tools);
const loadBefore = os.loadavg();
const startedAt = new Date();
let rig: Rig | null = null;
const cleanUp = async () => {
  await rig?.stop();
  rmSync(workDir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

const rounds: RowMeasurement[][] = [];
let profile: ProfileSummary | null = null;
let long: LongRunResult | null = null;
try {
  if (!options.longOnly) {
    const started = await startRig(options, tools, pinning, workDir);
    rig = started;
    const settings = {
      connections: options.connections,
      duration: options.duration,
      warmup: options.warmup,
      upstreamPid: started.upstream.pid,
      ticksPerSecond,
    };
    for (let round = 0; round < options.rounds; round++) {
      // Rotate the order each round so slow phases of a noisy machine do not always hit the same row.
      const order = [...started.rows.slice(round % started.rows.length), ...started.rows.slice(0, round % started.rows.length)];
      const measured: RowMeasurement[] = [];
      for (const row of order) {
        console.error(`bench: round ${round + 1}/${options.rounds}: ${row.label}`);
        measured.push(await measureRow(row, generators, settings));
      }
      rounds.push(measured);
    }
    for (const row of started.rows) if (row.note) notes.push(`${row.label}: ${row.note}`);
    for (const skipped of started.skipped) notes.push(`${skipped.label} skipped: ${skipped.reason}`);
    const profileSince = Date.now();
    await started.stop();
    rig = null;
    if (options.profile) {
      const file = newestProfile(path.resolve(options.resultsDir, 'profiles'), profileSince - 1_000);
      profile = file ? summarizeProfile(file) : null;
      if (!file) notes.push('--profile: no CPU profile was written');
    }
  }
  if (options.requests > 0) {
    console.error(`bench: long run, ${options.requests.toLocaleString('en-US')} requests through ${LONG_TARGET_LABELS[options.longTarget]}`);
    const { requests, connections, meshNodeFlags, eventRing, longTarget: target } = options;
    long = await longRun({ requests, connections, target, upstreamKind, meshNodeFlags, eventRing, workDir }, tools, pinning, wrk);
  }
} finally {
  await cleanUp();
}

const summaries = summarize(rounds, ROW_LABELS);
const cpuComparisons = compareCpu(rounds, ROW_LABELS);
const checks: TargetCheck[] = checkTargets(summaries, cpuComparisons);
if (long && long.target === 'mesh') {
  const after = long.rssAfterTargetMb;
  if (after !== null)
    checks.push({
      what: `RSS after ${long.requestsTarget.toLocaleString('en-US')} requests`,
      measured: `${after.toFixed(1)} MB`,
      target: '<= 120 MB',
      met: after <= 120,
    });
  if (long.growthMb !== null)
    checks.push({ what: 'RSS growth from 10,000 requests', measured: `${long.growthMb.toFixed(1)} MB`, target: '<= 50 MB', met: long.growthMb <= 50 });
}
const loadAfter = os.loadavg();

const out: string[] = [];
out.push(`## Proxy benchmark, ${startedAt.toISOString()}`, '');
out.push(
  `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} CPUs; Node ${process.version}; wrk ${tools.wrk.version}; nginx ${tools.nginx?.version ?? 'not installed'}.`,
);
out.push(
  `Upstream: ${upstreamKind === 'nginx' ? 'nginx returning a fixed body' : 'a minimal Node http server'}; servers on core 0, wrk (and the Node generator) on core 1${pinning.taskset ? '' : ' (NOT pinned)'}.`,
);
out.push(
  `Each row: ${options.warmup} s warm-up, ${options.duration} s at ${options.connections} connections, ${options.duration} s at 1 connection; ${options.rounds} round(s)${options.rounds > 1 ? ', median (min–max)' : ''}.`,
);
out.push(
  `Events-on listener: counts each request event${options.eventRing > 0 ? ` and keeps the last ${options.eventRing.toLocaleString('en-US')} in a ring (like the request log)` : ''}.`,
);
if (options.meshNodeFlags.length > 0) out.push(`Meshdesk processes run with ${options.meshNodeFlags.join(' ')}.`);
out.push(
  `Load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')} (the machine is shared).`,
  '',
);
if (summaries.length > 0) out.push(markdownTable(summaries, options.connections), '', ROW_LABELS_NOTE, '');
if (cpuComparisons.length > 0) out.push(cpuComparisonLines(cpuComparisons), '');
if (long) out.push(`### Long run (${LONG_TARGET_LABELS[long.target]}, ${options.connections} connections)`, '', longRunText(long), '');
if (checks.length > 0) out.push('### Targets (throughput, latency, memory, CONNECT tunnels)', '', targetLines(checks), '');
if (profile) out.push('### Where Meshdesk spends its CPU (events on)', '', profileText(profile), '');
if (notes.length > 0) out.push('### Notes', '', ...notes.map((n) => `- ${n}`), '');
console.log(out.join('\n'));

mkdirSync(options.resultsDir, { recursive: true });
const file = path.join(options.resultsDir, `proxy-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      machine: { cpu: os.cpus()[0]?.model ?? null, cpus: os.availableParallelism(), loadBefore, loadAfter },
      versions: { node: process.version, wrk: tools.wrk.version, nginx: tools.nginx?.version ?? null },
      options,
      upstream: upstreamKind,
      pinned: pinning.taskset !== null,
      summaries,
      cpuComparisons,
      rounds,
      longRun: long,
      targets: checks,
      profile,
      notes,
    },
    null,
    2,
  )}\n`,
);
console.error(`bench: results written to ${file}`);
