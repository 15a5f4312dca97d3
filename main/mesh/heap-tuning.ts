/**
 * V8 heap settings (and the size of Node's V8 thread pool) for a process that hosts the mesh. The
 * proxy allocates ~20 KB of short-lived objects per request (Node's HTTP server and undici,
 * mostly), and with V8's defaults the heap
 * grows to several times its live size between full collections: after a million requests at
 * 15,000 req/s the process sat near 200 MB of RSS, most of it heap pages kept from the high-water
 * mark. A small young generation and a tighter growth factor keep it under 120 MB for some more
 * CPU per request (measured with `npm run bench:proxy`; figures in the README).
 *
 * All are best given on Node's command line (`STARTUP_NODE_FLAGS`, which `bin/meshdesk.js`
 * re-executes Node with), so that they hold from the first allocation. Where that is not possible
 * (Electron's main process) `tuneHeap` sets the growth factor from inside; the young generation's
 * size and the thread pool are fixed once V8 runs. A flag the process was started with is never overridden.
 */
import { setFlagsFromString } from 'node:v8';

const GROWTH_FLAG = '--heap-growing-percent=30';
/**
 * `--v8-pool-size=1` (Node's own option) leaves V8 one helper thread: with two or more, the
 * concurrent collector's helpers and the proxy contended for a busy core, and the p99 at one
 * connection was ≈ 17 ms instead of ≈ 6 ms (bench:proxy, proxy and upstream on one core).
 */
export const STARTUP_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', GROWTH_FLAG, '--v8-pool-size=1'];
/** The ones V8 still takes once it runs. */
const RUNTIME_V8_FLAGS: readonly string[] = [GROWTH_FLAG];

/** Applies the runtime flags unless this process's command line already set them. */
export function tuneHeap(execArgv: readonly string[] = process.execArgv): void {
  for (const flag of RUNTIME_V8_FLAGS) {
    if (!hasFlag(execArgv, flag)) setFlagsFromString(flag);
  }
}

/** The startup flags this process's command line lacks. */
export function missingStartupFlags(execArgv: readonly string[] = process.execArgv): string[] {
  return STARTUP_NODE_FLAGS.filter((flag) => !hasFlag(execArgv, flag));
}

function hasFlag(execArgv: readonly string[], flag: string): boolean {
  const name = flagName(flag);
  return execArgv.some((arg) => flagName(arg) === name);
}

/** `--max-semi-space-size=2` and `--max_semi_space_size=16` name the same flag. */
function flagName(arg: string): string {
  return (arg.split('=')[0] ?? arg).replaceAll('_', '-');
}
