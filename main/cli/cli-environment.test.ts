// The admin CLI finds a mesh by the same environment `meshdesk serve` listens by: one shell with
// MESHDESK_ADMIN_PORT (and MESHDESK_STATE_DIR) exported reaches the mesh it started, a flag still
// wins over the variable, and `meshdesk env` prints the proxy from MESHDESK_PROXY_PORT/HOST.
// Runs the built CLI: `npm run build:main && npx vitest run main/cli/cli-environment.test.ts`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../mesh/index.js';
import { runMeshdesk, startMeshdesk, tempStateDir } from './testing/spawn-meshdesk.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The variables one shell would export for both `serve` and the admin commands; none of the URL kind. */
async function shellWithMesh(extra: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-cli-env-'));
  writeFileSync(path.join(dir, 'meshdesk.yaml'), 'services:\n  world:\n    instances: [127.0.0.1:1]\n');
  const adminPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    MESHDESK_ADMIN_PORT: `${adminPort}`,
    MESHDESK_STATE_DIR: tempStateDir(),
    MESHDESK_ADMIN_URL: undefined,
    MESHDESK_TOKEN: undefined,
    NO_COLOR: '1',
    ...extra,
  };
  const mesh = await startMeshdesk(['serve', '--config', path.join(dir, 'meshdesk.yaml')], { ...env, MESHDESK_PROXY_PORT: '0' });
  cleanups.push(async () => {
    mesh.child.kill('SIGKILL');
    await mesh.exited;
  });
  return { mesh, env, adminPort };
}

describe('the admin CLI and the environment serve reads', () => {
  it('status reaches a mesh on a non-default admin port from MESHDESK_ADMIN_PORT and MESHDESK_STATE_DIR alone', async () => {
    const { mesh, env, adminPort } = await shellWithMesh();
    expect(mesh.adminUrl).toBe(`http://127.0.0.1:${adminPort}`);
    const status = await runMeshdesk(['status', '--json'], env);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ adminUrl: mesh.adminUrl, proxyUrl: mesh.proxyUrl, services: ['world'] });
    // The token comes from the state folder the variable names: another folder's is refused.
    const elsewhere = await runMeshdesk(['status'], { ...env, MESHDESK_STATE_DIR: tempStateDir() });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain(`the mesh at ${mesh.adminUrl} refused the token`);
  });

  it('a flag still beats the variable, and MESHDESK_ADMIN_URL beats the port it would be built from', async () => {
    const { mesh, env } = await shellWithMesh();
    const otherPort = await freePort();
    const flagged = await runMeshdesk(['status', '--admin-port', `${otherPort}`], env);
    expect(flagged.code).toBe(3);
    expect(flagged.stderr).toContain(`no mesh answers at http://127.0.0.1:${otherPort}`);
    const byUrl = await runMeshdesk(['route', 'show', '--json'], { ...env, MESHDESK_ADMIN_PORT: `${otherPort}`, MESHDESK_ADMIN_URL: mesh.adminUrl });
    expect(byUrl.code).toBe(0);
  });

  it('MESHDESK_ADMIN_HOST=0.0.0.0 (serve on every interface) is reached on loopback', async () => {
    const { mesh, env } = await shellWithMesh({ MESHDESK_ADMIN_HOST: '0.0.0.0' });
    const status = await runMeshdesk(['status', '--json'], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ proxyUrl: mesh.proxyUrl });
  });

  it('--help names the variables', async () => {
    const help = (await runMeshdesk(['status', '--help'])).stdout.replace(/\s+/g, ' ');
    for (const name of ['MESHDESK_ADMIN_PORT', 'MESHDESK_ADMIN_HOST', 'MESHDESK_STATE_DIR']) expect(help).toContain(`env: ${name}`);
  });
});

describe('meshdesk env and the environment serve reads', () => {
  it('prints the proxy address from MESHDESK_PROXY_PORT and MESHDESK_PROXY_HOST; a flag beats them', async () => {
    const fromEnv = await runMeshdesk(['env', '--json'], { MESHDESK_PROXY_PORT: '4321' });
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({ http_proxy: 'http://127.0.0.1:4321', HTTP_PROXY: 'http://127.0.0.1:4321' });
    const bash = await runMeshdesk(['env', '--shell', 'bash'], { MESHDESK_PROXY_PORT: '4321', MESHDESK_PROXY_HOST: '::1' });
    expect(bash.stdout).toContain("export http_proxy='http://[::1]:4321'");
    const flagged = await runMeshdesk(['env', '--json', '--proxy-port', '4999'], { MESHDESK_PROXY_PORT: '4321' });
    expect(JSON.parse(flagged.stdout)).toMatchObject({ http_proxy: 'http://127.0.0.1:4999' });
  });
});
