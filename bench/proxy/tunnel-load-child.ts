/**
 * The Node load generator (tunnel-load.ts) as a process of its own, so that node-load.ts can pin it
 * to the load core with taskset exactly as wrk is, away from the proxy and the upstream. Prints its
 * result as one `LOAD_RESULT {json}` line on stdout (in wrk's result shape) and exits.
 * Run as a child process: `node tunnel-load-child.js <port> <absolute|connect> <service> <connections> <seconds>`.
 */
import { runLoad } from './tunnel-load.js';

const [portArg, shape, service, connectionsArg, secondsArg] = process.argv.slice(2);
const port = Number(portArg);
const connections = Number(connectionsArg);
const seconds = Number(secondsArg);
if (
  (shape !== 'absolute' && shape !== 'connect') ||
  !service ||
  !Number.isInteger(port) ||
  !Number.isInteger(connections) ||
  connections < 1 ||
  !(seconds > 0)
) {
  console.error('usage: tunnel-load-child.js <port> <absolute|connect> <service> <connections> <seconds>');
  process.exit(2);
}

const result = await runLoad({ port, shape, service }, { connections, seconds, timeoutMs: 5_000 });
process.stdout.write(`LOAD_RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
