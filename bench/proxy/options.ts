/**
 * Command-line options of `npm run bench:proxy`. Durations are short by default so that one run of
 * every row fits in a few minutes on a shared two-core machine; `--rounds` repeats the whole set,
 * interleaving rows, so that noise from other processes spreads over all rows alike.
 */
import { parseArgs } from 'node:util';

export type UpstreamKind = 'node' | 'nginx';
export type LongTarget = 'mesh' | 'undici' | 'http-proxy';

export interface BenchOptions {
  /** Seconds measured per row and per connection count. */
  duration: number;
  /** Seconds of unmeasured load before each measurement (JIT, pools, TCP windows). */
  warmup: number;
  /** At most this many seconds of unmeasured load per row before round 1, until its process is compiled (prime.ts); 0 skips it. */
  prime: number;
  /** Connections of the throughput measurement. */
  connections: number;
  rounds: number;
  /** The upstream every row reaches; `auto` is nginx when installed (cheapest), else Node; `both` runs every row behind each. */
  upstream: UpstreamKind | 'auto' | 'both';
  /** Row ids to run; empty means all. */
  only: string[];
  /** Requests of the long (memory) run; 0 skips it. */
  requests: number;
  /** Which proxy the long run drives: Meshdesk (events on), or a bare proxy as a memory baseline. */
  longTarget: LongTarget;
  /** Skip the side-by-side rows, run only the long run. */
  longOnly: boolean;
  /** Write a V8 CPU profile of the Meshdesk child (events on) to bench/results/. */
  profile: boolean;
  /** Which Meshdesk child `--profile` profiles: events on, or events on with the dashboard attached. */
  profileMesh: 'on' | 'dash';
  /** How the dashboard rows' client reads the stream: parsing every batch as the dashboard does, or only reading the bytes (dashboard-child.ts). */
  dashboard: 'parse' | 'raw';
  /** Request events the Meshdesk child's listener keeps (like the request log); 0 only counts. */
  eventRing: number;
  /** Node/V8 flags for the Meshdesk children: the product's own (run.ts puts them first), then the user's, e.g. `--max-semi-space-size=4`. */
  meshNodeFlags: string[];
  /**
   * Flags for one more Meshdesk process (events on), after meshNodeFlags: its rows, `mesh-host-alt`
   * and `mesh-forward-alt`, are measured in the same rounds as the others, so a V8 setting is
   * compared within each round rather than across two noisy runs. Empty: no such process.
   */
  altNodeFlags: string[];
  /** Node/V8 flags for the other Node processes on the server core (upstream, bare proxies): the bench's own (run.ts puts them first), then the user's. */
  peerNodeFlags: string[];
  resultsDir: string;
}

const USAGE = `usage: npm run bench:proxy -- [options]
  --duration S      seconds measured per row and connection count (default 10)
  --warmup S        seconds of unmeasured warm-up before each measurement (default 2)
  --prime S         before round 1, load each row until its process stops compiling, at most
                    S seconds (default 15; 0 skips it: round 1 then measures cold processes)
  --connections N   connections of the throughput run (default 50; latency always uses 1)
  --rounds N        repeat all rows N times, interleaved, and report median and range (default 1)
  --upstream KIND   node | nginx | both | auto (default auto: nginx when installed); both measures
                    every row behind nginx, then behind the Node upstream, and reports each
  --only IDS        comma-separated row ids (direct,mesh-host-on,mesh-forward-on,mesh-host-off,
                    mesh-forward-off,mesh-host-dash,mesh-forward-dash,mesh-host-alt,mesh-forward-alt,
                    mesh-forward-node-on,mesh-tunnel-on,http-proxy,undici,nginx,mockttp,mitmproxy)
  --requests N      long run: proxy N requests through Meshdesk (events on) and report RSS
                    after the 10,000th and the Nth (e.g. 1000000); default 0 = no long run
  --long-target T   mesh (default, events on) | undici | http-proxy: the bare ones give a baseline
  --long-only       only the long run
  --profile         write a CPU profile of the Meshdesk child (events on) and print its hot spots
  --profile-mesh M  on (default) | dash: which Meshdesk child --profile profiles
  --dashboard D     parse (default) | raw: the dashboard rows' client parses every batch as the
                    dashboard does, or reads the bytes only (the mesh's cost of serving it apart
                    from the client's parse, which runs on the load core beside wrk)
  --event-ring N    request events the bench's own listener keeps in a ring, on top of the
                    mesh's request log (default 0: it only counts them)
  --mesh-node-flags=F  Node/V8 flags for the Meshdesk processes after the ones \`meshdesk serve\`
                    runs with (note the "="), e.g. to measure V8's defaults instead:
                    "--mesh-node-flags=--max-semi-space-size=16 --heap-growing-percent=0 --allocation-site-pretenuring"
  --alt-node-flags=F   one more Meshdesk process (events on) with these flags after those: rows
                    mesh-host-alt and mesh-forward-alt, measured in the same rounds (e.g.
                    "--alt-node-flags=--max-semi-space-size=4" against the shipped 2)
  --peer-node-flags=F  Node/V8 flags for the other Node processes on the server core (the Node
                    upstream, bare undici, http-proxy, mockttp) after the bench's own, which give
                    them the one-core GC setting Meshdesk gets (--single-threaded-gc when pinned);
                    "--peer-node-flags=--no-single-threaded-gc" measures them with V8's default
  --results DIR     where the JSON goes (default bench/results)`;

const SPEC = {
  duration: { type: 'string', default: '10' },
  warmup: { type: 'string', default: '2' },
  prime: { type: 'string', default: '15' },
  connections: { type: 'string', default: '50' },
  rounds: { type: 'string', default: '1' },
  upstream: { type: 'string', default: 'auto' },
  only: { type: 'string', default: '' },
  requests: { type: 'string', default: '0' },
  'long-target': { type: 'string', default: 'mesh' },
  'long-only': { type: 'boolean', default: false },
  profile: { type: 'boolean', default: false },
  'profile-mesh': { type: 'string', default: 'on' },
  dashboard: { type: 'string', default: 'parse' },
  'event-ring': { type: 'string', default: '0' },
  'mesh-node-flags': { type: 'string', default: '' },
  'alt-node-flags': { type: 'string', default: '' },
  'peer-node-flags': { type: 'string', default: '' },
  results: { type: 'string', default: 'bench/results' },
  help: { type: 'boolean', default: false },
} as const;

export function parseOptions(argv: readonly string[]): BenchOptions {
  let values: ReturnType<typeof parseArgs<{ options: typeof SPEC }>>['values'];
  try {
    values = parseArgs({ args: [...argv], options: SPEC }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const upstream = values.upstream;
  const longTarget = values['long-target'];
  if (longTarget !== 'mesh' && longTarget !== 'undici' && longTarget !== 'http-proxy') fail('--long-target must be mesh, undici or http-proxy');
  if (upstream !== 'node' && upstream !== 'nginx' && upstream !== 'auto' && upstream !== 'both') fail(`--upstream must be node, nginx, both or auto`);
  const profileMesh = values['profile-mesh'];
  if (profileMesh !== 'on' && profileMesh !== 'dash') fail('--profile-mesh must be on or dash');
  const dashboard = values.dashboard;
  if (dashboard !== 'parse' && dashboard !== 'raw') fail('--dashboard must be parse or raw');
  const options: BenchOptions = {
    duration: positive('duration', values.duration),
    warmup: nonNegative('warmup', values.warmup),
    prime: nonNegative('prime', values.prime),
    connections: positive('connections', values.connections),
    rounds: positive('rounds', values.rounds),
    upstream,
    only: values.only
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id.length > 0),
    requests: nonNegative('requests', values.requests),
    longTarget,
    longOnly: values['long-only'],
    profile: values.profile,
    profileMesh,
    dashboard,
    eventRing: Math.floor(nonNegative('event-ring', values['event-ring'])),
    // The product's own flags go first once the bench knows where its servers run (run.ts); later ones win.
    meshNodeFlags: flags(values['mesh-node-flags']),
    altNodeFlags: flags(values['alt-node-flags']),
    peerNodeFlags: flags(values['peer-node-flags']),
    resultsDir: values.results,
  };
  if (options.longOnly && options.requests === 0) options.requests = 1_000_000;
  return options;
}

function flags(text: string): string[] {
  return text.split(/\s+/).filter((flag) => flag.length > 0);
}

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) fail(`--${name} must be a positive number`);
  return value;
}

function nonNegative(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) fail(`--${name} must be zero or more`);
  return value;
}

function fail(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}
