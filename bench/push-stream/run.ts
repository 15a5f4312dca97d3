/**
 * `npm run bench:push-stream`: what the admin push stream costs the mesh's thread per request event,
 * with one attached dashboard (a reader in another process, on the other core) against none, at a
 * steady event rate, in one process with the V8 flags `meshdesk serve` runs with. Each event is a
 * fresh object tree shaped like a routed request's, and each also leaves the garbage a proxied
 * request does (about 12 KB), so the young generation is scavenged as often as under real load:
 * what the stream keeps alive across a scavenge shows up as GC time.
 *
 * Why beside bench:proxy: on a shared two-core machine the proxy rows' req/s swing by ±50%; this
 * measures the stream alone, by CPU time and GC pause time per event, which other processes
 * disturb far less. Prints one markdown table; `--help` for options.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PushStream } from '../../main/mesh/admin/push-stream.js';
import type { RequestEvent } from '../../shared/events.js';
import { PUSH_REQUESTS_PARAM, pushRequestsScopeSchema } from '../../shared/push.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '6000' },
    seconds: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    requests: { type: 'string', default: 'rows' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('usage: npm run bench:push-stream -- [--rate EVENTS_PER_S] [--seconds S] [--rounds N] [--requests rows|full]');
  process.exit(0);
}
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
/** What the attached dashboard asks for: `rows`, as the request log does, or `full` events, as `tap -o json`. */
const form = pushRequestsScopeSchema.exclude(['none']).parse(values.requests);

/** The dashboard: reads every byte of the stream in its own process, on the load core when it can be pinned. */
const READER = `const http = require('node:http'); let bytes = 0;
http.get(process.argv[1], (res) => { res.on('data', (c) => (bytes += c.length)); });
process.on('message', () => process.send(bytes));`;

let nextId = 1;
function routedEvent(): RequestEvent {
  const id = nextId++;
  return {
    id,
    kind: 'service',
    caller: 'shell',
    service: 'bench',
    version: 'default',
    instance: '127.0.0.1:37397',
    method: 'GET',
    path: '/',
    status: 200,
    startedAt: Date.now(),
    timings: { dispatched: 0.05, connected: 0.06, firstByte: 0.31, end: 0.33 },
    bytesIn: 0,
    bytesOut: 39,
    error: null,
    attempts: [{ instance: '127.0.0.1:37397', status: 200, error: null, ms: 0.28 }],
    retries: 0,
    flags: [],
    decision: [
      { step: 'version', choice: 'default', reason: 'the only version' },
      { step: 'instance', choice: '127.0.0.1:37397', reason: 'least loaded of 1 healthy' },
    ],
    failed: false,
  };
}

/** What a proxied request leaves behind besides its event: parsed headers, buffers, closures. */
function requestGarbage(): unknown {
  const headers: Record<string, string> = {};
  for (let i = 0; i < 12; i++) headers[`x-header-${i}`] = `value-${i}-${nextId}`;
  return [headers, new Array(64).fill(nextId), Buffer.allocUnsafe(512), () => headers];
}

interface Phase {
  cpuUsPerEvent: number;
  gcMsPerSecond: number;
  scavenges: number;
  markCompacts: number;
  loopDelayP99Ms: number;
}

async function phase(push: PushStream): Promise<Phase> {
  let gcMs = 0;
  let scavenges = 0;
  let markCompacts = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === 1) scavenges++;
      else if (kind === 4) markCompacts++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let sent = 0;
  let sink: unknown = null;
  // 1 ms ticks, each publishing the events due by then: a steady rate, as from a busy proxy.
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent++) {
      sink = requestGarbage();
      push.publish({ kind: 'request', event: routedEvent() });
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  void sink;
  const used = process.cpuUsage(cpu);
  delay.disable();
  observer.disconnect();
  const elapsed = (performance.now() - started) / 1000;
  return {
    cpuUsPerEvent: (used.user + used.system) / sent,
    gcMsPerSecond: gcMs / elapsed,
    scavenges,
    markCompacts,
    loopDelayP99Ms: delay.percentile(99) / 1e6,
  };
}

const push = new PushStream();
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://bench');
  push.attach(res, [], { requests: pushRequestsScopeSchema.parse(url.searchParams.get(PUSH_REQUESTS_PARAM) ?? 'full') });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/?${PUSH_REQUESTS_PARAM}=${form}`;

const results: { round: number; without: Phase; attached: Phase; bytes: number }[] = [];
for (let round = 1; round <= rounds; round++) {
  const without = await phase(push);
  const reader = spawn(process.execPath, ['-e', READER, url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  while (!push.listening) await new Promise((resolve) => setTimeout(resolve, 10));
  const attached = await phase(push);
  const bytes = await new Promise<number>((resolve) => {
    reader.once('message', (count) => resolve(Number(count)));
    reader.send('bytes?');
  });
  reader.kill();
  while (push.listening) await new Promise((resolve) => setTimeout(resolve, 10));
  results.push({ round, without, attached, bytes });
  console.error(`bench: round ${round}/${rounds} done`);
}
push.close();
server.close();

const row = (label: string, p: Phase) =>
  `| ${label} | ${p.cpuUsPerEvent.toFixed(2)} | ${p.gcMsPerSecond.toFixed(1)} | ${p.scavenges} | ${p.markCompacts} | ${p.loopDelayP99Ms.toFixed(2)} |`;
const out = [
  `## Push stream cost, ${new Date().toISOString()}: ${rate.toLocaleString('en-US')} events/s for ${seconds} s per phase, dashboard asking for \`${form}\`, Node ${process.version}, flags: ${process.execArgv.join(' ') || '(none)'}`,
  '',
  '| round, phase | CPU µs per event (with its request garbage) | GC ms per s | scavenges | mark-compacts | event loop delay p99 ms |',
  '|---|---|---|---|---|---|',
];
for (const r of results) {
  out.push(row(`${r.round}, no dashboard`, r.without), row(`${r.round}, dashboard attached`, r.attached));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const extra = median(results.map((r) => r.attached.cpuUsPerEvent - r.without.cpuUsPerEvent));
const gcExtra = median(results.map((r) => r.attached.gcMsPerSecond - r.without.gcMsPerSecond));
out.push(
  '',
  `Attached dashboard, median over rounds: +${extra.toFixed(2)} µs CPU per event, +${gcExtra.toFixed(1)} ms GC per second; ${Math.round(median(results.map((r) => r.bytes)) / (seconds * rate))} bytes per event on the wire.`,
);
console.log(out.join('\n'));
