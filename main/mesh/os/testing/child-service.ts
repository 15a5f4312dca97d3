/**
 * A real child Node process for the attribution tests: it can listen on a port (as a registered
 * service's process would) and, when told on stdin, calls a URL with keep-alive off and prints the
 * answer, or opens raw TCP connections and holds them. Line-based protocol: the parent writes
 * `get URL` or `hold PORT COUNT`; the child answers one JSON line per command.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

const CHILD_SOURCE = String.raw`
const http = require('node:http');
const net = require('node:net');
const readline = require('node:readline');
const held = [];
const reply = (value) => process.stdout.write(JSON.stringify(value) + '\n');
function start(port) {
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    const [verb, arg, count] = line.split(' ');
    if (verb === 'get') {
      http.get(arg, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk) => (body += chunk)).on('end', () => reply({ status: res.statusCode, body }));
      }).on('error', (error) => reply({ error: error.message }));
    } else if (verb === 'hold') {
      const sockets = Array.from({ length: Number(count) }, () => net.connect(Number(arg), '127.0.0.1'));
      held.push(...sockets);
      Promise.all(sockets.map((s) => new Promise((ok) => s.once('connect', ok)))).then(() => reply({ localPorts: sockets.map((s) => s.localPort) }));
    }
  });
  reply({ pid: process.pid, port });
}
if (process.argv[1] === 'listen') {
  const server = http.createServer((req, res) => res.end('child'));
  server.listen(0, '127.0.0.1', () => start(server.address().port));
} else {
  start(null);
}
`;

export interface ChildService {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  /** The port it listens on, or null when started without listening. */
  port: number | null;
  /** Sends one command line and resolves with the child's JSON answer. */
  send<T>(command: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startChildService(listen: boolean): Promise<ChildService> {
  const child = spawn(process.execPath, ['-e', CHILD_SOURCE, '--', listen ? 'listen' : 'call'], { stdio: 'pipe' });
  child.stderr.resume();
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = <T>() => new Promise<T>((resolve) => waiting.push((line) => resolve(JSON.parse(line) as T)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const hello = await next<{ pid: number; port: number | null }>();
  return {
    child,
    pid: hello.pid,
    port: hello.port,
    send<T>(command: string) {
      const answer = next<T>();
      child.stdin.write(`${command}\n`);
      return answer;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
