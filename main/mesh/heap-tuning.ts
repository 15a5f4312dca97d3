/**
 * V8 heap settings for a process that hosts the mesh. The proxy allocates ~20 KB of short-lived
 * objects per request (Node's HTTP server and undici, mostly), and with V8's defaults the heap
 * grows to several times its live size between full collections: after a million requests at
 * 15,000 req/s the process sat near 200 MB of RSS, most of it heap pages kept from the high-water
 * mark. A small young generation and a tighter growth factor keep it near 120 MB for a few percent
 * more CPU per request (measured with `npm run bench:proxy`; figures in the README).
 *
 * Both are best given on Node's command line (`STARTUP_V8_FLAGS`, which `bin/meshdesk.js`
 * re-executes Node with), so that they hold from the first allocation. Where that is not possible
 * (Electron's main process) `tuneHeap` sets the growth factor from inside; the young generation's
 * size is fixed once V8 runs. A flag the process was started with is never overridden.
 */
import { setFlagsFromString } from 'node:v8';

const GROWTH_FLAG = '--heap-growing-percent=30';
export const STARTUP_V8_FLAGS: readonly string[] = ['--max-semi-space-size=2', GROWTH_FLAG];
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
  return STARTUP_V8_FLAGS.filter((flag) => !hasFlag(execArgv, flag));
}

function hasFlag(execArgv: readonly string[], flag: string): boolean {
  const name = flagName(flag);
  return execArgv.some((arg) => flagName(arg) === name);
}

/** `--max-semi-space-size=2` and `--max_semi_space_size=16` name the same flag. */
function flagName(arg: string): string {
  return (arg.split('=')[0] ?? arg).replaceAll('_', '-');
}
