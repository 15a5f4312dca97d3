// The headless store under a crash: a child process registers instances through the real
// RuntimeRegistrations + ConfStore as fast as it can, printing `ack n` after each returns; the test
// kills it with SIGKILL mid-burst, then reopens the store like a restarted mesh and checks that the
// file is readable and holds every acknowledged registration. Two rounds, so the second crash also
// hits a store that already holds data. Run: npx vitest run main/mesh/store/conf-store.test.ts
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from '../registry/registry.js';
import { RuntimeRegistrations } from '../registry/runtime-registrations.js';
import { ConfStore } from './conf-store.js';
import { emptyMeshState } from './mesh-state.js';

const here = import.meta.dirname;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the burst child, SIGKILLs it after `killAfter` acks; resolves with every ack it printed. */
function burstAndKill(directory: string, first: number, killAfter: number): Promise<number[]> {
  const child = spawn(
    process.execPath,
    ['--import', path.join(here, 'testing', 'ts-hooks.mjs'), path.join(here, 'testing', 'registration-burst.ts'), directory, String(first), '100000'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const acks: number[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const match = /^ack (\d+)$/.exec(line);
    if (match) acks.push(Number(match[1]));
    if (acks.length === killAfter) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    // 'close' waits for stdout to drain: acks printed just before the kill are still counted.
    child.once('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended with ${code ?? signal} before the kill: ${stderr}`));
      else resolve(acks);
    });
  });
}

describe('ConfStore', () => {
  it('keeps every acknowledged registration when the writer is killed with SIGKILL mid-burst', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-crash-'));
    dirs.push(directory);
    const acked: number[] = [];
    for (const [first, killAfter] of [
      [0, 120],
      [1_000, 80],
    ] as const) {
      acked.push(...(await burstAndKill(directory, first, killAfter)));

      const registry = new Registry();
      const registrations = new RuntimeRegistrations(new ConfStore({ directory, defaults: emptyMeshState() }), registry);
      expect(registrations.load()).toEqual([]);
      const stored = new Set(registrations.list().map((registration) => registration.address));
      const missing = acked.filter((n) => !stored.has(`127.0.0.1:${10_000 + n}`));
      expect(missing).toEqual([]);
      // At most the one write in flight at the kill can be there without its ack.
      expect(stored.size - acked.length).toBeLessThanOrEqual(1);
      expect(registry.list().flatMap((service) => service.versions)).toHaveLength(stored.size);
    }
    expect(acked.length).toBeGreaterThanOrEqual(200);
    // Only the store (and perhaps a temporary file of the killed write) is left behind.
    expect(readdirSync(directory).filter((name) => name !== 'state.json' && !name.includes('.tmp'))).toEqual([]);
  });
});
