/**
 * Starts node-client.mjs, a Node HTTP client in its own process (global fetch through
 * NODE_USE_ENV_PROXY, or undici's ProxyAgent tunnelling), and talks to it one command at a time.
 * It runs on this process's Node, which must be 22 or later: Node 20's fetch ignores the proxy
 * variables, so the test would prove nothing.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node-client.mjs');

export type NodeClientKind = 'fetch' | 'proxy-agent';

export interface ClientCommand {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  count?: number;
  concurrency?: number;
}

export type ClientResult = { status: number; body: string; error?: undefined } | { error: string; status?: undefined; body?: undefined };

export interface NodeClient {
  pid: number;
  /** The port it serves on, when started with `listen`. */
  port: number | null;
  send(command: ClientCommand): Promise<ClientResult[]>;
}

export async function startNodeClient(kind: NodeClientKind, proxyUrl: string, options: { listen?: boolean } = {}): Promise<NodeClient> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) throw new Error(`these tests need Node 22 (the project's own, in node_modules/.bin); this is ${process.version}`);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(https?|no|all)_proxy$/i.test(name)) env[name] = value;
  }
  if (kind === 'fetch') Object.assign(env, { NODE_USE_ENV_PROXY: '1', HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, NODE_NO_WARNINGS: '1' });
  const child = spawn(process.execPath, [SCRIPT, kind, proxyUrl, options.listen ? 'listen' : ''], { stdio: 'pipe', env });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  onTestFinished(async () => {
    child.kill();
    await exited;
  });
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line));
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      waiting.push((line) => resolve(JSON.parse(line) as T));
      void exited.then(() => reject(new Error(`node client exited: ${stderr}`)));
    });
  const hello = await next<{ pid: number; port: number | null }>();
  return {
    ...hello,
    async send(command) {
      const answer = next<{ results: ClientResult[] }>();
      child.stdin.write(`${JSON.stringify(command)}\n`);
      return (await answer).results;
    },
  };
}
