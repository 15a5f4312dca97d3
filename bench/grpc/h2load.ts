/**
 * Runs h2load (pinned to the load core) for gRPC unary calls: POSTs of one framed HelloRequest with
 * `content-type: application/grpc` and `te: trailers`, to `:authority` of the row, for a warm-up and
 * then a fixed duration. Latency percentiles come from h2load's per-request log (its summary has
 * only min/max/mean/sd). h2load announces the start and end of its measured phase on stdout as they
 * happen; the caller is told then, so it can sample CPU over exactly the calls h2load counts.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LOAD_CORE, pinned, type Pinning } from '../proxy/children.js';
import { helloRequest, SAY_HELLO_PATH } from './greeter-message.js';

export interface H2loadTarget {
  port: number;
  /** `:authority` of every call: the service for the mesh, `127.0.0.1:port` otherwise. */
  authority: string;
}

export interface LoadShape {
  /** h2load's -c: connections (clients). */
  connections: number;
  /** h2load's -m: calls in flight on each connection. */
  streams: number;
  warmupSeconds: number;
  seconds: number;
}

export interface H2loadResult {
  /** Calls answered with HTTP 2xx in the measured phase (h2load cannot see gRPC statuses). */
  succeeded: number;
  /** Failed, errored, timed-out calls and non-2xx answers: anything but 0 means a broken row. */
  errors: number;
  callsPerSecond: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
}

/** Called when h2load starts and ends its measured phase (after the warm-up). */
export interface PhaseHooks {
  onMeasureStart?: () => void;
  onMeasureEnd?: () => void;
}

const MEASURE_START = 'Main benchmark duration is started';
const MEASURE_END = 'Main benchmark duration is over';

export class H2load {
  private readonly body: string;
  private runs = 0;

  constructor(
    private readonly h2loadPath: string,
    private readonly pinning: Pinning,
    private readonly workDir: string,
  ) {
    this.body = path.join(workDir, 'hello-request.bin');
    writeFileSync(this.body, helloRequest('bench'));
  }

  run(target: H2loadTarget, shape: LoadShape, hooks: PhaseHooks = {}): Promise<H2loadResult> {
    const log = path.join(this.workDir, `h2load-${++this.runs}.log`);
    const args = [
      ...['-c', String(shape.connections), '-m', String(shape.streams), '-t', '1'],
      ...['-D', String(Math.max(1, Math.round(shape.seconds))), '--warm-up-time', String(Math.max(1, Math.round(shape.warmupSeconds)))],
      ...['-d', this.body, '--log-file', log],
      ...['-H', 'content-type: application/grpc', '-H', 'te: trailers', '-H', `:authority: ${target.authority}`],
      `http://127.0.0.1:${target.port}${SAY_HELLO_PATH}`,
    ];
    const [file, argv] = pinned(this.pinning, LOAD_CORE, this.h2loadPath, args);
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const announced = new Set<string>();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      for (const [line, hook] of [
        [MEASURE_START, hooks.onMeasureStart],
        [MEASURE_END, hooks.onMeasureEnd],
      ] as const) {
        if (announced.has(line) || !stdout.includes(line)) continue;
        announced.add(line);
        hook?.();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // h2load ends by itself after its duration; one that hangs (a stalled peer) is stopped by pid.
    const limit = setTimeout(() => child.kill('SIGKILL'), (shape.warmupSeconds + shape.seconds + 30) * 1000);
    return new Promise<H2loadResult>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(limit);
        try {
          resolve({ ...parseSummary(stdout), ...latencies(log) });
        } catch (error) {
          reject(new Error(`h2load exited with ${code}: ${(error as Error).message}\n${stderr.trim() || stdout.trim()}`));
        } finally {
          rmSync(log, { force: true });
        }
      });
    });
  }
}

/** Counts and rate from h2load's summary lines. */
export function parseSummary(text: string): Pick<H2loadResult, 'succeeded' | 'errors' | 'callsPerSecond'> {
  const rate = /^finished in [\d.]+s, ([\d.]+) req\/s/m.exec(text);
  const requests = /^requests: .* (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/m.exec(text);
  const statuses = /^status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/m.exec(text);
  if (!rate || !requests || !statuses) throw new Error('no summary in its output');
  const [succeeded = 0, failed = 0, errored = 0, timeout = 0] = requests.slice(1).map(Number);
  const [, redirects = 0, clientErrors = 0, serverErrors = 0] = statuses.slice(1).map(Number);
  return { succeeded, errors: failed + errored + timeout + redirects + clientErrors + serverErrors, callsPerSecond: Number(rate[1]) };
}

/** Percentiles of the third column of h2load's log: microseconds from request to end of response. */
function latencies(log: string): Pick<H2loadResult, 'p50Us' | 'p90Us' | 'p99Us' | 'maxUs'> {
  const lines = readFileSync(log, 'utf8').split('\n');
  const sorted = Float64Array.from(lines.filter((line) => line.length > 0).map((line) => Number(line.split('\t')[2]))).sort();
  if (sorted.length === 0) throw new Error('no call was logged');
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
  return { p50Us: at(0.5), p90Us: at(0.9), p99Us: at(0.99), maxUs: at(1) };
}
