/**
 * Command-line options of `npm run bench:grpc`, in the HTTP bench's terms: seconds of warm-up and of
 * measurement per run, rounds repeated with rows interleaved (median and range reported), the rows
 * to run. The throughput setting is h2load's connections × calls in flight on each; latency always
 * uses one call in flight on one connection.
 */
import { parseArgs } from 'node:util';
import { MAX_IDLE_CHANNELS } from './idle-channels.js';
import { ROW_IDS, type RowId } from './rig.js';

export interface GrpcBenchOptions {
  /** Seconds measured per row and per setting. */
  duration: number;
  /** Seconds of unmeasured load before each measurement (h2load's --warm-up-time). */
  warmup: number;
  /** h2load connections at the throughput setting. */
  connections: number;
  /** Calls in flight on each connection at the throughput setting (h2load's -m). */
  streams: number;
  rounds: number;
  /** Row ids to run; empty means all. */
  only: RowId[];
  /** Idle channels opened to a fresh Meshdesk for the memory figure; 0 skips it. */
  channels: number;
  /** At most this many seconds of unmeasured load per row before round 1, until its process is compiled (bench/proxy/prime.ts); 0 skips it. */
  prime: number;
  resultsDir: string;
}

const USAGE = `usage: npm run bench:grpc -- [options]
  --duration S      seconds measured per row and setting (default 10)
  --warmup S        seconds of unmeasured calls before each measurement (default 2)
  --connections N   h2load connections at the throughput setting (default 10)
  --streams N       calls in flight on each of them (default 10; latency always uses 1 x 1)
  --rounds N        repeat all rows N times, interleaved, and report median and range (default 1)
  --only IDS        comma-separated row ids (${ROW_IDS.join(',')})
  --channels N      idle channels for the memory figure (default 1000, at most ${MAX_IDLE_CHANNELS}: the
                    mesh holds 1,024 client connections; 0 skips it)
  --prime S         before round 1, load each row until its process stops compiling, at most
                    S seconds (default 15; 0 skips it)
  --results DIR     where the JSON goes (default bench/results)`;

/** The numeric options: default and least value. h2load takes whole seconds, so all are integers. */
const NUMBERS = {
  duration: [10, 1],
  warmup: [2, 1],
  connections: [10, 1],
  streams: [10, 1],
  rounds: [1, 1],
  channels: [1000, 0],
  prime: [15, 0],
} as const satisfies Record<string, readonly [number, number]>;
type NumberOption = keyof typeof NUMBERS;

const SPEC = {
  ...(Object.fromEntries(Object.keys(NUMBERS).map((name) => [name, { type: 'string' }])) as Record<NumberOption, { type: 'string' }>),
  only: { type: 'string', default: '' },
  results: { type: 'string', default: 'bench/results' },
  help: { type: 'boolean', default: false },
} as const;

export function parseGrpcOptions(argv: readonly string[]): GrpcBenchOptions {
  const { values } = (() => {
    try {
      return parseArgs({ args: [...argv], options: SPEC });
    } catch (error) {
      return fail((error as Error).message);
    }
  })();
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const only = values.only
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  const unknown = only.filter((id) => !(ROW_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) fail(`--only: unknown row id(s) ${unknown.join(', ')}`);
  const number = (name: NumberOption) => whole(name, values[name] ?? String(NUMBERS[name][0]), NUMBERS[name][1]);
  if (number('channels') > MAX_IDLE_CHANNELS) fail(`--channels must be at most ${MAX_IDLE_CHANNELS}`);
  return {
    duration: number('duration'),
    warmup: number('warmup'),
    connections: number('connections'),
    streams: number('streams'),
    rounds: number('rounds'),
    only: only as RowId[],
    channels: number('channels'),
    prime: number('prime'),
    resultsDir: values.results,
  };
}

/** `text` as an integer of at least `min`, or a usage error. */
function whole(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) fail(`--${name} must be a whole number of at least ${min}`);
  return value;
}

function fail(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}
