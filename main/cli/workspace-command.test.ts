// Workspaces as a user meets them: the real `meshdesk` commands run in temporary workspace folders,
// with no MESHDESK_STATE_DIR, so each finds its workspace and its state as it would on a laptop (the
// user folder is a temp XDG_CONFIG_HOME). Real upstreams, requests through the real proxy.
// Run with `npm run build:main && npx vitest run main/cli/workspace-command.test.ts`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answering, listenUpstream } from '../mesh/testing/http-upstream.js';
import { runMeshdesk, startMeshdesk, type RunningMeshdesk } from './testing/spawn-meshdesk.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A laptop of the test's own: the user folder where per-workspace state goes. */
function laptop(): NodeJS.ProcessEnv {
  return { MESHDESK_STATE_DIR: undefined, XDG_CONFIG_HOME: mkdtempSync(path.join(os.tmpdir(), 'meshdesk-home-')), NO_COLOR: '1' };
}

function folder(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'meshdesk-workspace-'));
}

async function serveIn(cwd: string, env: NodeJS.ProcessEnv, extra: string[] = []): Promise<RunningMeshdesk> {
  const mesh = await startMeshdesk(['serve', '--proxy-port', '0', '--admin-port', '0', ...extra], env, { cwd });
  cleanups.push(async () => {
    if (mesh.child.exitCode === null) mesh.child.kill('SIGKILL');
    await mesh.exited;
  });
  return mesh;
}

async function viaProxy(proxyUrl: string, url: string): Promise<string> {
  const { ProxyAgent, request } = await import('undici');
  const answer = await request(url, { dispatcher: new ProxyAgent(proxyUrl) });
  return answer.body.text();
}

describe('a workspace folder', () => {
  it('with only disco/ routes, prints its state folder, and the CLI finds its mesh from a subfolder without flags', async () => {
    const env = laptop();
    const port = await listenUpstream(answering('world from disco'), cleanups);
    const root = folder();
    mkdirSync(path.join(root, 'disco'));
    mkdirSync(path.join(root, 'services', 'world'), { recursive: true });
    writeFileSync(path.join(root, 'disco', 'world'), `127.0.0.1 ${port}\n`);

    const mesh = await serveIn(path.join(root, 'services', 'world'), env);
    expect(mesh.output()).toContain(`meshdesk: workspace  ${root}`);
    expect(mesh.output()).toContain('meshdesk: config     ../../disco/');
    const stateDir = /meshdesk: state\s+(\S+)/.exec(mesh.output())?.[1] ?? '';
    expect(stateDir.startsWith(path.join(env.XDG_CONFIG_HOME ?? '', 'meshdesk', 'workspaces', path.basename(root)))).toBe(true);
    expect(await viaProxy(mesh.proxyUrl, 'http://world/')).toBe('world from disco');

    // The mesh listens on ports of its own choosing: the CLI learns them from the workspace's state.
    const status = await runMeshdesk(['status'], env, { cwd: path.join(root, 'services') });
    expect(status.stderr).toBe('');
    expect(status.stdout).toContain(`proxy      ${mesh.proxyUrl}`);
    expect(status.stdout).toMatch(/services\s+world/);
    const lines = await runMeshdesk(['env', '--shell', 'bash'], env, { cwd: root });
    expect(lines.stdout).toContain(`export http_proxy='${mesh.proxyUrl}'`);
  });

  it('is accepted by --config as a folder, or as its disco/ folder', async () => {
    const env = laptop();
    const port = await listenUpstream(answering('world'), cleanups);
    const root = folder();
    mkdirSync(path.join(root, 'disco'));
    writeFileSync(path.join(root, 'disco', 'world'), `127.0.0.1 ${port}\n`);
    const elsewhere = folder();
    for (const flag of [root, path.join(root, 'disco')]) {
      const mesh = await serveIn(elsewhere, env, ['--config', flag]);
      expect(await viaProxy(mesh.proxyUrl, 'http://world/')).toBe('world');
      mesh.child.kill('SIGTERM');
      await mesh.exited;
    }
  });

  it('keeps its runtime state to itself: a registration in one workspace is not in the next, and survives a restart', async () => {
    const env = laptop();
    const port = await listenUpstream(answering('extra'), cleanups);
    const [first, second] = [folder(), folder()];
    for (const root of [first, second]) writeFileSync(path.join(root, 'meshdesk.yaml'), 'services: {}\n');

    let mesh = await serveIn(first, env);
    expect((await runMeshdesk(['register', 'extra', `127.0.0.1:${port}`], env, { cwd: first })).code).toBe(0);
    expect(await viaProxy(mesh.proxyUrl, 'http://extra/')).toBe('extra');
    mesh.child.kill('SIGTERM');
    await mesh.exited;

    const other = await serveIn(second, env);
    expect(other.output()).toMatch(/services\s+\(none yet\)/);
    const status = await runMeshdesk(['status', '--json'], env, { cwd: second });
    expect(JSON.parse(status.stdout).services).toEqual([]);

    mesh = await serveIn(first, env);
    expect(mesh.output()).toMatch(/services\s+extra/);
  });

  it('a CLI command in a workspace whose mesh is not running says so, naming the workspace', async () => {
    const env = laptop();
    const root = folder();
    writeFileSync(path.join(root, 'meshdesk.yaml'), 'services: {}\n');
    const status = await runMeshdesk(['status', '--admin-port', '1'], env, { cwd: root });
    expect(status.code).toBe(3);
    expect(status.stderr).toContain(`start one with \`meshdesk serve\` in ${root}`);
  });
});

describe('meshdesk init', () => {
  it('writes a meshdesk.yaml from the processes listening in the folder, which serve then routes, and never overwrites it', async () => {
    const env = laptop();
    const root = folder();
    mkdirSync(path.join(root, 'catalog'));
    const catalogPort = await startListener(path.join(root, 'catalog'), ['-e', serverScript('catalog')]);
    writeFileSync(path.join(root, 'orders.cjs'), serverScript('orders'));
    const ordersPort = await startListener(root, ['orders.cjs']);

    const init = await runMeshdesk(['init'], env, { cwd: root });
    expect(init.stderr).toBe('');
    expect(init.stdout).toContain(`wrote ${path.join(root, 'meshdesk.yaml')}`);
    const written = readFileSync(path.join(root, 'meshdesk.yaml'), 'utf8');
    expect(written).toMatch(/^# yaml-language-server: \$schema=.*resources\/meshdesk\.schema\.json\n/);
    expect(written).toContain(`  catalog:\n    # 127.0.0.1:${catalogPort} from pid`);
    expect(written).toContain(`  orders:\n    # 127.0.0.1:${ordersPort} from pid`);

    const mesh = await serveIn(root, env);
    expect(mesh.output()).not.toContain('config error');
    expect(await viaProxy(mesh.proxyUrl, 'http://catalog/')).toBe('catalog');
    expect(await viaProxy(mesh.proxyUrl, 'http://orders/')).toBe('orders');

    const again = await runMeshdesk(['init'], env, { cwd: root });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists; edit it, or pass --force');
    expect(readFileSync(path.join(root, 'meshdesk.yaml'), 'utf8')).toBe(written);
  });

  it('takes the services a docker-compose.yml publishes and mentions disco/', async () => {
    const root = folder();
    mkdirSync(path.join(root, 'disco'));
    writeFileSync(path.join(root, 'disco', 'search'), '127.0.0.1 7999\n');
    writeFileSync(path.join(root, 'docker-compose.yml'), 'services:\n  web:\n    image: nginx\n    ports: ["127.0.0.1:18080:80"]\n');
    const init = await runMeshdesk(['init', '--stdout'], laptop(), { cwd: root });
    expect(init.stdout).toContain('# disco/ is read too, as it is (search)');
    expect(init.stdout).toContain('  web:\n    # 127.0.0.1:18080 from docker-compose.yml:');
    expect(existsSync(path.join(root, 'meshdesk.yaml'))).toBe(false);
  });
});

function serverScript(name: string): string {
  return `require('node:http').createServer((q, s) => s.end('${name}')).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
}

/** A server process started in `cwd`, as a developer starts a service; resolves with its port. */
function startListener(cwd: string, args: string[]): Promise<number> {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`the service exited (${code})`)));
  });
}
