// The admin token survives a restart: the real `meshdesk serve` (built dist/) writes it to its
// state folder, owner-only, and a second `serve` on the same folder accepts the very same token.
// Run with `npm run build:main && npx vitest run main/cli/serve-admin-token.test.ts`.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMeshdesk, tempStateDir, type RunningMeshdesk } from './testing/spawn-meshdesk.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(stateDir: string, config: string): Promise<RunningMeshdesk> {
  const running = await startMeshdesk(['serve', '--proxy-port', '0', '--admin-port', '0', '--config', config], { MESHDESK_STATE_DIR: stateDir });
  cleanups.push(async () => {
    if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
    await running.exited;
  });
  return running;
}

async function stop(running: RunningMeshdesk): Promise<void> {
  running.child.kill('SIGTERM');
  expect(await running.exited).toEqual({ code: 0, signal: null });
}

const infoStatus = async (adminUrl: string, token?: string) =>
  (await fetch(`${adminUrl}/api/info`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } })).status;

describe('meshdesk serve and its admin token', () => {
  it('persists the token owner-only and accepts the same token after a restart', async () => {
    const stateDir = tempStateDir();
    const tokenFile = path.join(stateDir, 'admin-token');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-token-'));
    const config = path.join(dir, 'meshdesk.yaml');
    writeFileSync(config, 'services: {}\n');
    expect(existsSync(tokenFile)).toBe(false);

    const first = await serve(stateDir, config);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    if (process.platform === 'linux') expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(await infoStatus(first.adminUrl)).toBe(401);
    expect(await infoStatus(first.adminUrl, 'not-the-token')).toBe(401);
    expect(await infoStatus(first.adminUrl, token)).toBe(200);
    await stop(first);

    const second = await serve(stateDir, config);
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token);
    if (process.platform === 'linux') expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(await infoStatus(second.adminUrl)).toBe(401);
    expect(await infoStatus(second.adminUrl, token)).toBe(200);
    await stop(second);
  });
});
