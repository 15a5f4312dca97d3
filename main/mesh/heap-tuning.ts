/**
 * V8 heap settings (and the size of Node's V8 thread pool) for a process that hosts the mesh. The
 * proxy allocates ~20 KB of short-lived objects per request (Node's HTTP server and undici,
 * mostly), and with V8's defaults the heap
 * grows to several times its live size between full collections: after a million requests at
 * 15,000 req/s the process sat near 200 MB of RSS, most of it heap pages kept from the high-water
 * mark. A small young generation and a tighter growth factor keep it under 120 MB for some more
 * CPU per request (measured with `npm run bench:proxy`; figures in the README).
 *
 * All are best given on Node's command line (`startupNodeFlags()`, which `bin/meshdesk.js`
 * re-executes Node with), so that they hold from the first allocation. Where that is not possible
 * (Electron's main process) `tuneHeap` sets the growth factor and pretenuring from inside; the young generation's
 * size, the thread pool and single-threaded GC are fixed once V8 runs. A flag the process was started with is never overridden.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

const GROWTH_FLAG = '--heap-growing-percent=30';
/**
 * V8 moves the objects of an allocation site straight to the old generation once most of them
 * survive a young collection. With a young generation this small, a proxy under load trips that
 * rule for request-scoped objects (an exchange outlives a scavenge or two at 50 connections), and
 * the process flips into a state where a million requests' objects are allocated old: five full
 * collections a second instead of one, 52–58 µs of CPU per request instead of 43–45, p99 at one
 * connection ≈ 4 ms instead of ≈ 2 (measured at 10 and 50 connections with --trace-gc-nvp: 90–130 MB
 * promoted in 5 s in that state against 15–23 MB; bench:proxy figures in the README).
 */
const NO_PRETENURING_FLAG = '--no-allocation-site-pretenuring';
/**
 * `--v8-pool-size=1` (Node's own option) leaves V8 one helper thread: with two or more, the
 * concurrent collector's helpers and the proxy contended for a busy core, and the p99 at one
 * connection was ≈ 17 ms instead of ≈ 6 ms (bench:proxy, proxy and upstream on one core).
 */
export const STARTUP_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', GROWTH_FLAG, NO_PRETENURING_FLAG, '--v8-pool-size=1'];
/**
 * A process allowed one core only (taskset, a container's cpuset) gains nothing from a GC helper
 * thread: the helper can only take turns with the main thread, and a young collection that waits
 * for its helper's turn stretches from ≈ 0.4 ms to over 1 ms (--trace-gc: p90 of the scavenge
 * pauses 1.2–1.3 ms with the helper, 0.8 ms without, proxy and upstream on one core at one
 * connection). With V8 collecting on the main thread alone the p99 at one connection went from
 * about 2× the bare undici proxy's to 1.2–1.3×, for about 6% of throughput (median of 8 paired
 * rounds: the marking the helper did concurrently is then done in steps between requests). With
 * more cores the helper runs beside the main thread, and is kept.
 */
export const SINGLE_THREADED_GC_FLAG = '--single-threaded-gc';

/** The startup flags for a process that may run on `cores` cores (its CPU affinity). */
export function startupNodeFlags(cores: number = availableParallelism()): readonly string[] {
  return cores <= 1 ? [...STARTUP_NODE_FLAGS, SINGLE_THREADED_GC_FLAG] : STARTUP_NODE_FLAGS;
}
/** The ones V8 still takes once it runs. */
const RUNTIME_V8_FLAGS: readonly string[] = [GROWTH_FLAG, NO_PRETENURING_FLAG];

/** Applies the runtime flags unless this process's command line already set them. */
export function tuneHeap(execArgv: readonly string[] = process.execArgv): void {
  for (const flag of RUNTIME_V8_FLAGS) {
    if (!hasFlag(execArgv, flag)) setFlagsFromString(flag);
  }
}

/** The startup flags this process's command line lacks. */
export function missingStartupFlags(execArgv: readonly string[] = process.execArgv, cores: number = availableParallelism()): string[] {
  return startupNodeFlags(cores).filter((flag) => !hasFlag(execArgv, flag));
}

function hasFlag(execArgv: readonly string[], flag: string): boolean {
  const name = flagName(flag);
  return execArgv.some((arg) => flagName(arg) === name);
}

/**
 * `--max-semi-space-size=2` and `--max_semi_space_size=16` name the same flag, and so do
 * `--no-allocation-site-pretenuring` and `--allocation-site-pretenuring`.
 */
function flagName(arg: string): string {
  return (arg.split('=')[0] ?? arg).replaceAll('_', '-').replace(/^--no-/, '--');
}
