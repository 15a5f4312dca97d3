/**
 * The mesh running from a state folder, as `serve` and `demo` record it (`running.json`): its
 * addresses, so a command run in the same workspace reaches it without flags even when it listens
 * on other ports than the defaults (a second workspace's mesh, the demo on free ports). A record
 * whose process is gone (the mesh was killed) is ignored, and removed by the next mesh that starts.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const RECORD_FILE = 'running.json';

const runningMeshSchema = z.object({
  pid: z.number().int().positive(),
  adminUrl: z.string(),
  proxyUrl: z.string(),
  /** The workspace folder, null for the demo or outside any workspace. */
  workspace: z.string().nullable(),
});

export type RunningMesh = z.infer<typeof runningMeshSchema>;

export function recordRunningMesh(stateDir: string, mesh: RunningMesh): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(stateDir, RECORD_FILE), `${JSON.stringify(mesh, null, 2)}\n`, { mode: 0o600 });
}

/** Removes the record, if it is this process's (another mesh may have started from the folder since). */
export function forgetRunningMesh(stateDir: string, pid: number = process.pid): void {
  if (readRunningMesh(stateDir)?.pid === pid) rmSync(path.join(stateDir, RECORD_FILE), { force: true });
}

/** The mesh recorded in `stateDir`, when its process still runs. */
export function readRunningMesh(stateDir: string): RunningMesh | null {
  let text: string;
  try {
    text = readFileSync(path.join(stateDir, RECORD_FILE), 'utf8');
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const record = runningMeshSchema.safeParse(parsed);
  return record.success && isAlive(record.data.pid) ? record.data : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
