/**
 * Runs this `meshdesk` command again under Node with extra startup flags (the mesh's heap settings,
 * heap-tuning.ts), which only hold when given before the first allocation.
 *
 * Where Node can replace the process (`process.execve`: Linux and macOS, Node 22.15 and later) it
 * does: same pid, same stdio, and signals and the exit status stay the command's own. Elsewhere
 * (Windows, an earlier Node 22) the command runs as a child on the same stdio and this process only
 * stands in for it: it passes on SIGTERM and SIGHUP, which a supervisor sends to the pid it started,
 * and leaves out Ctrl+C (SIGINT, and SIGBREAK on Windows), which the terminal already delivers to the
 * whole foreground group — relayed too, the mesh would see a second signal and cut its grace period
 * short (run-mesh.ts). That difference is why this is not foreground-child, which relays every
 * signal. When the child ends, this process ends the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Sent to this pid alone: the child hears of them only from us. */
const RELAYED: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];
/** Sent by the terminal to every process in the foreground group, the child included. */
const ALREADY_DELIVERED: readonly NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGBREAK'] : ['SIGINT'];

export interface Relaunchable {
  execPath: string;
  execArgv: readonly string[];
  argv: readonly string[];
  execve?: (file: string, args?: readonly string[]) => never;
}

/** Never returns while the relaunched command runs: the process is replaced, or ends with its child. */
export function relaunchWithFlags(flags: readonly string[], self: Relaunchable = process): Promise<never> {
  const args = [...self.execArgv, ...flags, ...self.argv.slice(1)];
  if (typeof self.execve === 'function') self.execve(self.execPath, [self.execPath, ...args]);
  return standInFor(spawn(self.execPath, args, { stdio: 'inherit' }));
}

function standInFor(child: ChildProcess): Promise<never> {
  const relay = (signal: NodeJS.Signals) => () => child.kill(signal);
  const ignore = () => {};
  const handlers = new Map<NodeJS.Signals, () => void>([
    ...RELAYED.map((signal) => [signal, relay(signal)] as const),
    ...ALREADY_DELIVERED.map((signal) => [signal, ignore] as const),
  ]);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return new Promise<never>(() => {
    child.once('error', (error) => {
      console.error(`meshdesk: could not start Node again with the mesh's flags: ${error.message}`);
      process.exit(1);
    });
    child.once('exit', (code, signal) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      // Ended by a signal: end by the same one, so whoever started us sees what happened.
      if (signal !== null) process.kill(process.pid, signal);
      else process.exit(code ?? 1);
    });
  });
}
