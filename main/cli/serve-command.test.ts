// `meshdesk serve` as a user runs it: the real command in a child process, a real upstream, real
// clients (curl and Node's http). Run with `npm run build && npx vitest run main/cli/serve-command.test.ts`.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { STARTUP_NODE_FLAGS } from '../mesh/index.js';
import { listenUpstream } from '../mesh/testing/http-upstream.js';
import { runMeshdesk, signIn, startMeshdesk, type RunningMeshdesk } from './testing/spawn-meshdesk.js';

const exec = promisify(execFile);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const upstream = (handler: http.RequestListener) => listenUpstream(handler, cleanups);

function workspace(yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-serve-'));
  writeFileSync(path.join(dir, 'meshdesk.yaml'), yaml);
  return path.join(dir, 'meshdesk.yaml');
}

async function serve(config: string, extra: string[] = []): Promise<RunningMeshdesk> {
  const running = await startMeshdesk(['serve', '--proxy-port', '0', '--admin-port', '0', '--config', config, ...extra]);
  cleanups.push(async () => {
    if (running.child.exitCode === null) running.child.kill('SIGKILL');
    await running.exited;
  });
  return running;
}

describe('meshdesk serve', () => {
  it('routes by absolute URI and by Host header to a service from meshdesk.yaml, and serves the dashboard', async () => {
    const port = await upstream((req, res) => res.end(`world got ${req.method} ${req.url} host=${req.headers.host}`));
    const mesh = await serve(workspace(`services:\n  world:\n    instances: [127.0.0.1:${port}]\n`));

    const viaProxy = await exec('curl', ['-sS', '-x', mesh.proxyUrl, 'http://world/a?b=1']);
    expect(viaProxy.stdout).toBe('world got GET /a?b=1 host=world');
    const byHost = await exec('curl', ['-sS', '-H', 'Host: world', `${mesh.proxyUrl}/c`]);
    expect(byHost.stdout).toBe('world got GET /c host=world');

    expect((await fetch(`${mesh.adminUrl}/api/services`)).status).toBe(401);
    const cookie = await signIn(mesh.loginUrl);
    const services = await (await fetch(`${mesh.adminUrl}/api/services`, { headers: { cookie } })).json();
    expect(services).toMatchObject([
      {
        name: 'world',
        versions: [{ name: 'default', instances: [{ address: `127.0.0.1:${port}`, host: '127.0.0.1', port, origin: 'meshdesk.yaml:3' }] }],
      },
    ]);
    const page = await fetch(`${mesh.adminUrl}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="root">');
  });

  it("never loads Node's own undici (fetch, WebSocket), not at start and not while proxying", async () => {
    // Only the mesh can read its own list of loaded modules: a probe given to it with --import
    // writes that list a few times a second. (main/mesh/node-http.ts says what loaded it: 3.4 MB.)
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-modules-'));
    const probe = path.join(dir, 'probe.mjs');
    const report = path.join(dir, 'loaded.json');
    writeFileSync(
      probe,
      `import { writeFileSync } from 'node:fs';\nsetInterval(() => writeFileSync(${JSON.stringify(report)}, JSON.stringify(process.moduleLoadList)), 100).unref();\n`,
    );
    const port = await upstream((_req, res) => res.end('world'));
    const config = workspace(`services:\n  world:\n    instances: [127.0.0.1:${port}]\n`);
    const mesh = await startMeshdesk(['serve', '--proxy-port', '0', '--admin-port', '0', '--config', config], {}, { nodeArgs: ['--import', probe] });
    cleanups.push(async () => {
      if (mesh.child.exitCode === null) mesh.child.kill('SIGKILL');
      await mesh.exited;
    });
    expect((await exec('curl', ['-sS', '-x', mesh.proxyUrl, 'http://world/'])).stdout).toBe('world');
    const cookie = await signIn(mesh.loginUrl);
    expect((await fetch(`${mesh.adminUrl}/api/services`, { headers: { cookie } })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const loaded = JSON.parse(await readFile(report, 'utf8')) as string[];
    expect(loaded).toContain('NativeModule http');
    expect(loaded).not.toContain('NativeModule internal/deps/undici/undici');
  });

  it("runs under the mesh's V8 heap flags, in the same process it was started as", async () => {
    const config = workspace('services: {}\n');
    const mesh = await serve(config);
    // bin/meshdesk.js replaced itself (execve), so the pid the caller holds is the mesh's.
    const commandLine = (await readFile(`/proc/${mesh.child.pid}/cmdline`, 'utf8')).split('\0');
    expect(commandLine).toEqual(expect.arrayContaining([...STARTUP_NODE_FLAGS, 'serve']));
    mesh.child.kill('SIGTERM');
    expect((await mesh.exited).code).toBe(0);
  });

  it.runIf(process.platform === 'linux')('collects garbage without a helper thread when it may run on one core only', async () => {
    const config = workspace('services: {}\n');
    const pinned = await startMeshdesk(['serve', '--proxy-port', '0', '--admin-port', '0', '--config', config], {}, { cpus: '0' });
    cleanups.push(async () => {
      if (pinned.child.exitCode === null) pinned.child.kill('SIGKILL');
      await pinned.exited;
    });
    const pinnedCommand = (await readFile(`/proc/${pinned.child.pid}/cmdline`, 'utf8')).split('\0');
    expect(pinnedCommand).toEqual(expect.arrayContaining([...STARTUP_NODE_FLAGS, '--single-threaded-gc', 'serve']));
    // The same command with every core it was given keeps V8's helper (this machine has two or more).
    if (os.availableParallelism() > 1) {
      const free = await serve(config);
      expect((await readFile(`/proc/${free.child.pid}/cmdline`, 'utf8')).split('\0')).not.toContain('--single-threaded-gc');
    }
  });

  describe('where Node cannot replace the process (Windows, Node before 22.15)', () => {
    // What such a Node looks like to bin/meshdesk.js: no process.execve.
    const withoutExecve = { nodeArgs: ['--import', 'data:text/javascript,delete process.execve'] };

    async function serveAsChild(config: string, detached = false) {
      const running = await startMeshdesk(['serve', '--proxy-port', '0', '--admin-port', '0', '--config', config], {}, { ...withoutExecve, detached });
      const mesh = Number((await readFile(`/proc/${running.child.pid}/task/${running.child.pid}/children`, 'utf8')).trim());
      cleanups.push(async () => {
        if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
        await running.exited;
        try {
          process.kill(mesh, 'SIGKILL');
        } catch {
          // Already gone, as it should be.
        }
      });
      return { running, mesh };
    }

    it.runIf(process.platform === 'linux')('runs the mesh as a child under the flags, and passes SIGTERM on to it', async () => {
      const port = await upstream((_req, res) => setTimeout(() => res.end('slow answer'), 400));
      const { running, mesh } = await serveAsChild(workspace(`services:\n  slow:\n    instances: [127.0.0.1:${port}]\n`));
      const meshCommand = (await readFile(`/proc/${mesh}/cmdline`, 'utf8')).split('\0');
      expect(meshCommand).toEqual(expect.arrayContaining([...STARTUP_NODE_FLAGS, 'serve']));
      const standIn = (await readFile(`/proc/${running.child.pid}/cmdline`, 'utf8')).split('\0');
      expect(standIn).not.toContain('--max-semi-space-size=2');

      const answer = exec('curl', ['-sS', '-x', running.proxyUrl, 'http://slow/']);
      await new Promise((resolve) => setTimeout(resolve, 150));
      running.child.kill('SIGTERM');
      expect((await answer).stdout).toBe('slow answer');
      expect(await running.exited).toEqual({ code: 0, signal: null });
      expect(running.output()).toContain('meshdesk: SIGTERM, finishing in-flight requests');
    });

    it.runIf(process.platform === 'linux')('takes Ctrl+C once, as the terminal delivers it to both, so the grace period holds', async () => {
      const port = await upstream((_req, res) => setTimeout(() => res.end('slow answer'), 400));
      const { running } = await serveAsChild(workspace(`services:\n  slow:\n    instances: [127.0.0.1:${port}]\n`), true);
      const answer = exec('curl', ['-sS', '-x', running.proxyUrl, 'http://slow/']);
      await new Promise((resolve) => setTimeout(resolve, 150));
      // A terminal's Ctrl+C: SIGINT to every process of the foreground group.
      process.kill(-(running.child.pid as number), 'SIGINT');
      expect((await answer).stdout).toBe('slow answer');
      expect(await running.exited).toEqual({ code: 0, signal: null });
      expect(running.output().match(/SIGINT/g)).toHaveLength(1);
    });

    it.runIf(process.platform === 'linux')('ends the way the mesh ended', async () => {
      const { running, mesh } = await serveAsChild(workspace('services: {}\n'));
      process.kill(mesh, 'SIGKILL');
      expect(await running.exited).toEqual({ code: null, signal: 'SIGKILL' });
    });
  });

  it('takes its ports from the environment when no flag is given', async () => {
    const config = workspace('services: {}\n');
    const running = await startMeshdesk(['serve', '--config', config], { MESHDESK_PROXY_PORT: '0', MESHDESK_ADMIN_PORT: '0' });
    cleanups.push(async () => {
      running.child.kill('SIGKILL');
      await running.exited;
    });
    expect(running.proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.proxyUrl).not.toBe('http://127.0.0.1:4140');
  });

  it('names a taken port, and the process holding it, in one line', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => holder.close(resolve)));
    const port = (holder.address() as { port: number }).port;

    const result = await runMeshdesk(['serve', '--proxy-port', `${port}`, '--admin-port', '0', '--config', workspace('services: {}\n')]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`proxy port ${port} on 127.0.0.1 is already in use`);
    if (process.platform === 'linux') expect(lines[0]).toContain(`(pid ${process.pid})`);
  });

  it('on SIGTERM lets an in-flight request finish, then exits cleanly and frees its ports', async () => {
    const port = await upstream((_req, res) => setTimeout(() => res.end('slow answer'), 400));
    const mesh = await serve(workspace(`services:\n  slow:\n    instances: [127.0.0.1:${port}]\n`));
    const answer = exec('curl', ['-sS', '-x', mesh.proxyUrl, 'http://slow/']);
    await new Promise((resolve) => setTimeout(resolve, 150));
    mesh.child.kill('SIGTERM');
    expect((await answer).stdout).toBe('slow answer');
    expect((await mesh.exited).code).toBe(0);
    expect(mesh.output()).toContain('meshdesk: stopped');
    await expect(fetch(`${mesh.adminUrl}/healthz`)).rejects.toThrow();
  });

  it('cuts requests still in flight when the grace period ends', async () => {
    const port = await upstream(() => undefined); // never answers
    const mesh = await serve(workspace(`services:\n  stuck:\n    instances: [127.0.0.1:${port}]\n`), ['--grace', '200']);
    const answer = exec('curl', ['-sS', '-x', mesh.proxyUrl, 'http://stuck/']).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    const stoppedAt = Date.now();
    mesh.child.kill('SIGTERM');
    expect(await answer).toBe('cut');
    expect((await mesh.exited).code).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
  });

  it('rejects a missing config file and a bad port with a readable error', async () => {
    const missing = await runMeshdesk(['serve', '--config', '/nonexistent/meshdesk.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('config not found: /nonexistent/meshdesk.yaml (give a meshdesk.yaml or a workspace folder)');
    const badPort = await runMeshdesk(['serve', '--proxy-port', '70000']);
    expect(badPort.code).not.toBe(0);
    expect(badPort.stderr).toContain('not a port number: 70000');
  });
});
