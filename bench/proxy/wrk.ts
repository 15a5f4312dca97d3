/**
 * Runs wrk (pinned to the load core) and reads its result as JSON printed by a Lua `done` hook,
 * rather than scraping its human output. The same script puts an absolute URI on the request line
 * when asked (`GET http://bench/ HTTP/1.1`, what an http_proxy client sends); wrk sends origin-form
 * otherwise. The request stays static, so wrk keeps its fast path (no per-request Lua).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { LOAD_CORE, pinned, type Pinning } from './children.js';

const REPORT_SCRIPT = `-- args[1]: request target for the request line ("-" keeps the URL's path)
function init(args)
  if args[1] ~= nil and args[1] ~= "-" then wrk.path = args[1] end
end

local function f(x) return math.floor(x) end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\\n',
    f(summary.requests), f(summary.duration), f(summary.bytes),
    f(latency:percentile(50)), f(latency:percentile(90)), f(latency:percentile(99)), f(latency.max),
    f(e.connect), f(e.read), f(e.write), f(e.status), f(e.timeout)))
end
`;

export interface WrkResult {
  requests: number;
  durationUs: number;
  bytes: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  /** `status` counts responses that were not 2xx/3xx. */
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
}

export interface WrkTarget {
  port: number;
  /** Host header to send (Host routing), or null for wrk's default `127.0.0.1:port`. */
  host: string | null;
  /** Request target for the request line, e.g. `http://bench/`; null sends `/`. */
  requestTarget: string | null;
}

export class Wrk {
  private readonly script: string;

  constructor(
    private readonly wrkPath: string,
    private readonly pinning: Pinning,
    workDir: string,
  ) {
    this.script = path.join(workDir, 'wrk-report.lua');
    writeFileSync(this.script, REPORT_SCRIPT);
  }

  run(target: WrkTarget, connections: number, seconds: number): Promise<WrkResult> {
    return this.start(target, connections, `${Math.max(1, Math.round(seconds))}s`).result;
  }

  /** A run that ends when `stop()` is called (or after `maxSeconds`); used by the long run. */
  start(target: WrkTarget, connections: number, duration: string): { result: Promise<WrkResult>; stop: () => void } {
    const args = ['-t1', `-c${connections}`, `-d${duration}`, '--timeout', '5s', '-s', this.script];
    if (target.host) args.push('-H', `Host: ${target.host}`);
    args.push(`http://127.0.0.1:${target.port}/`, '--', target.requestTarget ?? '-');
    const [file, argv] = pinned(this.pinning, LOAD_CORE, this.wrkPath, args);
    const child: ChildProcess = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const result = new Promise<WrkResult>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => {
        const line = stdout.split('\n').find((text) => text.startsWith('WRK_RESULT '));
        if (!line) {
          reject(new Error(`wrk exited with ${code} without a result: ${stderr.trim() || stdout.trim()}`));
          return;
        }
        resolve(JSON.parse(line.slice('WRK_RESULT '.length)) as WrkResult);
      });
    });
    // wrk stops on SIGINT and still prints its summary (and runs `done`).
    return { result, stop: () => child.kill('SIGINT') };
  }
}

export function requestsPerSecond(result: WrkResult): number {
  return result.durationUs > 0 ? (result.requests * 1e6) / result.durationUs : 0;
}

export function errorCount(result: WrkResult): number {
  const { connect, read, write, status, timeout } = result.errors;
  return connect + read + write + status + timeout;
}
