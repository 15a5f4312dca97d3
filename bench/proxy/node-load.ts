/**
 * Runs the bench's Node load generator (tunnel-load-child.ts) the way wrk.ts runs wrk: one process
 * per measurement, pinned to the load core with taskset, its result read from one JSON line on
 * stdout. The same `run(target, connections, seconds)` as Wrk, so a row measures alike with either.
 * A generator still running when the bench stops ends by itself within its duration.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOAD_CORE, pinned, type Pinning } from './children.js';
import type { NodeLoadTarget } from './tunnel-load.js';
import type { WrkResult } from './wrk.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tunnel-load-child.js');

export class NodeLoad {
  constructor(private readonly pinning: Pinning) {}

  run(target: NodeLoadTarget, connections: number, seconds: number): Promise<WrkResult> {
    const args = [CHILD, String(target.port), target.shape, target.service, String(connections), String(seconds)];
    const [file, argv] = pinned(this.pinning, LOAD_CORE, process.execPath, args);
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    return new Promise<WrkResult>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => {
        // Its first failures, if any, are worth seeing next to the row's progress line.
        if (stderr.trim()) console.error(stderr.trim());
        const line = stdout.split('\n').find((text) => text.startsWith('LOAD_RESULT '));
        if (!line) {
          reject(new Error(`the Node load generator exited with ${code} without a result: ${stderr.trim() || stdout.trim()}`));
          return;
        }
        resolve(JSON.parse(line.slice('LOAD_RESULT '.length)) as WrkResult);
      });
    });
  }
}
