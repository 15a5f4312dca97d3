/**
 * Real clients that go around the proxy, for the bypass tests: each a long-running process of its
 * runtime calling a URL every 200 ms over a kept-alive connection, as a service's client does, and
 * printing one line after its first answer (the moment the 3 s budget starts). Spawned with an
 * environment free of the machine's proxy variables, plus `env`; stopped with the test's cleanups.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface LoopClient {
  pid: number;
  /** performance.now() when the client printed its first answer. */
  answeredAt: number;
}

/** Node's own fetch (undici), which ignores http_proxy unless NODE_USE_ENV_PROXY=1. */
export const NODE_FETCH_LOOP = String.raw`
let first = true;
setInterval(() => fetch(process.argv[1]).then((res) => res.text()).then(() => { if (first) { first = false; console.log('ok'); } }, () => {}), 200);
`;

/**
 * Python's requests with a Session (a pooled connection) calling http://world:PORT/: a resolver
 * entry sends `world` to 127.0.0.1, as /etc/hosts or a compose network would, so that NO_PROXY=world
 * is what sends it past the proxy.
 */
export const PYTHON_REQUESTS_LOOP = String.raw`
import socket, sys, time, requests
real = socket.getaddrinfo
socket.getaddrinfo = lambda host, *rest, **kw: real('127.0.0.1' if host == 'world' else host, *rest, **kw)
session = requests.Session()
first = True
while True:
    session.get(sys.argv[1], timeout=5).text
    if first:
        print('ok', flush=True)
        first = False
    time.sleep(0.2)
`;

export const JAVA_CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'BypassClient.java');

/** Spawns `command args` and resolves once it printed its first line; rejects with its output if it exits first. */
export function startLoopClient(
  command: string,
  args: string[],
  env: Record<string, string>,
  cleanups: (() => unknown)[],
  timeoutMs = 20_000,
): Promise<LoopClient> {
  const base: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^((https?|no|all)_proxy|NODE_USE_ENV_PROXY|JAVA_TOOL_OPTIONS|JDK_JAVA_OPTIONS)$/i.test(name)) base[name] = value;
  }
  const child: ChildProcess = spawn(command, args, { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} gave no answer within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', () => {
      clearTimeout(timer);
      resolve({ pid: child.pid as number, answeredAt: performance.now() });
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${command} exited before its first answer:\n${output}`));
    });
  });
}
