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
import { meshStartupFlags, peerStartupFlags } from './children.js';
import { LONG_TARGET_LABELS, longRun, longRunText, type LongRunResult } from './long-run.js';
import { measureRow, type RowMeasurement } from './measure.js';
import { NodeLoad } from './node-load.js';
import { parseOptions, type UpstreamKind } from './options.js';
import { clockTicksPerSecond } from './proc-stats.js';
import { newestProfile, profileText, summarizeProfile, type ProfileSummary } from './profile-summary.js';
import { checkTargets, compareCpu, cpuComparisonLines, markdownTable, ROW_LABELS_NOTE, summarize, targetLines, type TargetCheck } from './report.js';
import { peerTargets } from './peer-targets.js';
import { primeRow, type PrimeResult } from './prime.js';
import { chooseUpstreams, ROW_LABELS, startRig, type Rig } from './rig.js';
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
options.meshNodeFlags = [...meshStartupFlags(pinning), ...options.meshNodeFlags];
options.peerNodeFlags = [...peerStartupFlags(pinning), ...options.peerNodeFlags];
const workDir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-bench-'));
const wrk = new Wrk(tools.wrk.path, pinning, workDir);
const generators = { wrk, node: new NodeLoad(pinning) };
const ticksPerSecond = clockTicksPerSecond();
const upstreamKinds = chooseUpstreams(options, tools);
const upstreamKind = upstreamKinds[0] ?? 'node';
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

/** What was measured behind one upstream. */
interface UpstreamRun {
  upstream: UpstreamKind;
  rounds: RowMeasurement[][];
  startRss: Rig['startRss'];
  /** How long each row's process took to settle before round 1 (empty with --prime 0). */
  primed: PrimeResult[];
}
const runs: UpstreamRun[] = [];
let profile: ProfileSummary | null = null;
let long: LongRunResult | null = null;
const profileSince = Date.now();
try {
  for (const kind of options.longOnly ? [] : upstreamKinds) {
    const started = await startRig(options, tools, pinning, workDir, kind);
    rig = started;
    const rounds: RowMeasurement[][] = [];
    const primed: PrimeResult[] = [];
    runs.push({ upstream: kind, rounds, startRss: started.startRss, primed });
    const settings = {
      connections: options.connections,
      duration: options.duration,
      warmup: options.warmup,
      upstreamPid: started.upstream.pid,
      ticksPerSecond,
    };
    if (options.prime > 0)
      for (const row of started.rows) {
        console.error(`bench: ${kind} upstream, priming: ${row.label}`);
        primed.push(await primeRow(row, generators, { connections: options.connections, maxSeconds: options.prime, ticksPerSecond }));
      }
    for (let round = 0; round < options.rounds; round++) {
      // Rotate the order each round so slow phases of a noisy machine do not always hit the same row.
      const order = [...started.rows.slice(round % started.rows.length), ...started.rows.slice(0, round % started.rows.length)];
      const measured: RowMeasurement[] = [];
      for (const row of order) {
        console.error(`bench: ${kind} upstream, round ${round + 1}/${options.rounds}: ${row.label}`);
        measured.push(await measureRow(row, generators, settings));
      }
      rounds.push(measured);
    }
    // The same rows behind each upstream have the same notes: say each once.
    const note = (text: string) => notes.includes(text) || notes.push(text);
    for (const row of started.rows) if (row.note) note(`${row.label}: ${row.note}`);
    for (const skipped of started.skipped) note(`${skipped.label} skipped: ${skipped.reason}`);
    await started.stop();
    rig = null;
  }
  if (options.profile && !options.longOnly) {
    // With `--upstream both` this is the last upstream's profile (each Meshdesk child writes its own).
    const file = newestProfile(path.resolve(options.resultsDir, 'profiles'), profileSince - 1_000);
    profile = file ? summarizeProfile(file) : null;
    if (!file) notes.push('--profile: no CPU profile was written');
  }
  if (options.requests > 0) {
    console.error(`bench: long run, ${options.requests.toLocaleString('en-US')} requests through ${LONG_TARGET_LABELS[options.longTarget]}`);
    const { requests, connections, meshNodeFlags, peerNodeFlags, eventRing, longTarget: target } = options;
    long = await longRun({ requests, connections, target, upstreamKind, meshNodeFlags, peerNodeFlags, eventRing, workDir }, tools, pinning, wrk);
  }
} finally {
  await cleanUp();
}

const MESH_START_LABELS: Record<Rig['startRss'][number]['events'], string> = {
  on: 'Meshdesk events on',
  off: 'Meshdesk events off',
  dash: 'Meshdesk with a dashboard attached',
  alt: 'Meshdesk events on, --alt-node-flags',
};
const sections = runs.map((run) => {
  const summaries = summarize(run.rounds, ROW_LABELS);
  const cpuComparisons = compareCpu(run.rounds, ROW_LABELS);
  const startRssMb = run.startRss.map((s) => ({ label: MESH_START_LABELS[s.events], mb: s.rssBytes / 2 ** 20 }));
  const checks = [...checkTargets(summaries, cpuComparisons), ...peerTargets(run.rounds, summaries, startRssMb, run.upstream)];
  return { ...run, summaries, cpuComparisons, checks };
});
const checks: TargetCheck[] = sections.flatMap((section) => section.checks);
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
const upstreamText = (kind: UpstreamKind) => (kind === 'nginx' ? 'nginx returning a fixed body' : 'a minimal Node http server');
out.push(
  `Upstream: ${upstreamKinds.map(upstreamText).join(', then ')}; servers on core 0, wrk (and the Node generator, and the attached dashboard's push-stream client) on core 1${pinning.taskset ? '' : ' (NOT pinned)'}.`,
);
out.push(
  `Each row: ${options.warmup} s warm-up, ${options.duration} s at ${options.connections} connections, ${options.duration} s at 1 connection; ${options.rounds} round(s)${options.rounds > 1 ? ', median (min–max)' : ''}.`,
);
if (options.prime > 0) out.push(primeLine(runs));
if (options.only.length === 0 || options.only.some((id) => id.endsWith('-dash')))
  out.push(
    options.dashboard === 'parse'
      ? "The attached dashboard's client parses every batch with the contract's schema, as the dashboard does (`--dashboard raw` reads the bytes only)."
      : "The attached dashboard's client reads every byte and parses nothing (`--dashboard raw`): the rows show the mesh's cost of serving the stream apart from the client's.",
  );
out.push(
  `Events-on listener: counts each request event${options.eventRing > 0 ? ` and keeps the last ${options.eventRing.toLocaleString('en-US')} in a ring (like the request log)` : ''}.`,
);
if (options.meshNodeFlags.length > 0) out.push(`Meshdesk processes run with ${options.meshNodeFlags.join(' ')}.`);
if (options.altNodeFlags.length > 0) out.push(`The --alt-node-flags rows add ${options.altNodeFlags.join(' ')}.`);
if (options.peerNodeFlags.length > 0)
  out.push(`The other Node processes on the server core (upstream, bare proxies) run with ${options.peerNodeFlags.join(' ')}.`);
out.push(
  `Load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')} (the machine is shared).`,
  '',
);
for (const section of sections) {
  if (sections.length > 1) out.push(`### Behind ${upstreamText(section.upstream)}`, '');
  if (section.summaries.length > 0) out.push(markdownTable(section.summaries, options.connections), '');
  if (section.cpuComparisons.length > 0) out.push(cpuComparisonLines(section.cpuComparisons), '');
}
if (sections.length > 0) out.push(ROW_LABELS_NOTE, '');
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
      upstreams: upstreamKinds,
      pinned: pinning.taskset !== null,
      sections,
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

/** Says how long the rows took to settle, so a run whose processes never did is not read as steady. */
function primeLine(measured: UpstreamRun[]): string {
  const rows = measured.flatMap((run) =>
    run.primed.map((p) => `${p.id}${measured.length > 1 ? ` (${run.upstream})` : ''} ${p.seconds} s${p.settled ? '' : ' (limit reached)'}`),
  );
  return `Before round 1 each row ran unmeasured load until its process's helper threads (compiler, collector) were quiet, at most ${options.prime} s: ${rows.join(', ')}.`;
}
