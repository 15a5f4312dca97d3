/**
 * `npm run bench:grpc`: unary gRPC calls (helloworld.Greeter/SayHello on a grpc-js server) sent by
 * h2load directly, through Meshdesk (HTTP/2 with prior knowledge, the service named in `:authority`,
 * events on and off) and through nginx's grpc_pass, side by side in one run on loopback, with the
 * server and the proxies pinned to core 0 and h2load to core 1; then the memory 1,000 idle channels
 * cost the mesh. Prints markdown to stdout (progress to stderr) and writes every raw figure as JSON
 * to bench/results/grpc-<time>.json. The pieces are the HTTP bench's (bench/proxy/) wherever the
 * job is the same: child processes and pinning, the Meshdesk child, /proc sampling, medians.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { peerStartupFlags } from '../proxy/children.js';
import { settleProcess, type PrimeResult } from '../proxy/prime.js';
import { clockTicksPerSecond } from '../proxy/proc-stats.js';
import { targetLines } from '../proxy/report.js';
import { H2load, type LoadShape } from './h2load.js';
import { idleChannelsRound, type IdleChannelsRow } from './idle-round.js';
import { measureRow, type RowMeasurement } from './measure.js';
import { parseGrpcOptions } from './options.js';
import { GRPC_TABLE_NOTE, grpcTable, grpcTargets, IDLE_CHANNELS_NOTE, idleChannelsTable, summarizeRounds } from './report.js';
import { startRig, type GrpcRig } from './rig.js';
import { findGrpcTools, H2LOAD_MISSING } from './tools.js';

const options = parseGrpcOptions(process.argv.slice(2));
const tools = findGrpcTools();
if (!tools.h2load) {
  // A skip, not a failure: the machine lacks the load generator, nothing was measured.
  console.error(`bench: skipped: ${H2LOAD_MISSING}`);
  process.exit(0);
}
const notes: string[] = [];
if (!tools.taskset) notes.push('taskset not found: processes are not pinned to cores, figures are less comparable');
if (os.availableParallelism() < 2) notes.push('fewer than 2 CPUs: the servers and h2load share one core');

const pinning = { taskset: tools.taskset && os.availableParallelism() >= 2 ? tools.taskset.path : null };
const workDir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-bench-grpc-'));
const h2load = new H2load(tools.h2load.path, pinning, workDir);
const ticksPerSecond = clockTicksPerSecond();
const shape = (connections: number, streams: number): LoadShape => ({ connections, streams, warmupSeconds: options.warmup, seconds: options.duration });
const throughputShape = shape(options.connections, options.streams);
const setting = `${options.connections}x${options.streams}`;
let rig: GrpcRig | null = null;
const cleanUp = async () => {
  await rig?.stop();
  rmSync(workDir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

const loadBefore = os.loadavg();
const startedAt = new Date();
const rounds: RowMeasurement[][] = [];
const idle: IdleChannelsRow[] = [];
const primed: ({ label: string } & Omit<PrimeResult, 'id'>)[] = [];
try {
  rig = await startRig(options.only, tools, pinning, workDir);
  const { rows, server } = rig;
  // Measured half-compiled, round 1's first Meshdesk row read about half its later calls/s.
  if (options.prime > 0)
    for (const row of rows) {
      console.error(`bench: priming ${row.label}`);
      const load = (connections: number) =>
        h2load.run(row.target, { ...shape(connections, connections === 1 ? 1 : options.streams), seconds: 1, warmupSeconds: 1 });
      primed.push({
        label: row.label,
        ...(await settleProcess(row.pid, load, { connections: options.connections, maxSeconds: options.prime, ticksPerSecond })),
      });
    }
  for (let round = 0; round < options.rounds; round++) {
    // Rotate the order each round so slow phases of a noisy machine do not always hit the same row.
    const order = [...rows.slice(round % rows.length), ...rows.slice(0, round % rows.length)];
    const measured: RowMeasurement[] = [];
    for (const row of order) {
      console.error(`bench: round ${round + 1}/${options.rounds}: ${row.label}`);
      measured.push(await measureRow(row, h2load, { throughput: throughputShape, latency: shape(1, 1), server, ticksPerSecond }));
    }
    rounds.push(measured);
    if (options.channels === 0) continue;
    console.error(`bench: round ${round + 1}/${options.rounds}: ${options.channels.toLocaleString('en-US')} idle channels to fresh processes`);
    idle.push(...(await idleChannelsRound(rig, tools.nginx, pinning, workDir, options.channels, ticksPerSecond)));
  }
  for (const row of rows) if (row.note) notes.push(`${row.label}: ${row.note}`);
  for (const skipped of rig.skipped) notes.push(`${skipped.id} skipped: ${skipped.reason}`);
} finally {
  await cleanUp();
  rig = null;
}

const summaries = summarizeRounds(rounds);
const checks = grpcTargets(summaries);
const loadAfter = os.loadavg();
const loads = (load: number[]) => load.map((l) => l.toFixed(2)).join(' ');
const out = [
  `## gRPC benchmark, ${startedAt.toISOString()}`,
  '',
  `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} CPUs; Node ${process.version}; h2load ${tools.h2load.version}; nginx ${tools.nginx?.version ?? 'not installed'}.`,
  `Unary helloworld.Greeter/SayHello on a grpc-js server; server and proxies on core 0, h2load on core 1${pinning.taskset ? '' : ' (NOT pinned)'}.`,
  ...(pinning.taskset ? [`The Greeter and the bare node:http2 proxy run with ${peerStartupFlags(pinning).join(' ')}, as Meshdesk does on one core.`] : []),
  `Each row: ${options.warmup} s warm-up then ${options.duration} s at ${options.connections} connections x ${options.streams} calls in flight (${setting}), ` +
    `the same at 1 x 1; ${options.rounds} round(s)${options.rounds > 1 ? ', median (min–max)' : ''}.`,
  ...(primed.length > 0
    ? [
        `Before round 1 each row ran unmeasured calls until its process's helper threads (compiler, collector) were quiet, at most ${options.prime} s: ` +
          `${primed.map((p) => `${p.label} ${p.seconds} s${p.settled ? '' : ' (limit reached)'}`).join(', ')}.`,
      ]
    : []),
  `Load average before ${loads(loadBefore)}, after ${loads(loadAfter)} (the machine is shared).`,
  '',
  grpcTable(summaries, setting),
  '',
  GRPC_TABLE_NOTE,
  '',
];
if (idle.length > 0)
  out.push(`### Memory of ${options.channels.toLocaleString('en-US')} idle channels`, '', idleChannelsTable(idle), '', IDLE_CHANNELS_NOTE, '');
if (checks.length > 0) out.push('### Targets', '', targetLines(checks), '');
if (notes.length > 0) out.push('### Notes', '', ...notes.map((n) => `- ${n}`), '');
console.log(out.join('\n'));

mkdirSync(options.resultsDir, { recursive: true });
const file = path.join(options.resultsDir, `grpc-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
const machine = { cpu: os.cpus()[0]?.model ?? null, cpus: os.availableParallelism(), loadBefore, loadAfter };
const versions = { node: process.version, h2load: tools.h2load.version, nginx: tools.nginx?.version ?? null };
const results = {
  startedAt: startedAt.toISOString(),
  machine,
  versions,
  options,
  pinned: pinning.taskset !== null,
  primed,
  summaries,
  rounds,
  idleChannels: idle,
  targets: checks,
  notes,
};
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.error(`bench: results written to ${file}`);
