// The README's "Use it with your own services", walked as a new user walks it: a fresh copy of the
// project installed with the machine's older Node first on PATH (`npm install`, `npm install -g .`
// into a prefix of the test's own), then in a temporary workspace with a Python service (world) and
// a Node service calling it with `fetch` (hello): the README's three commands, run by bash as typed,
// until the mesh shows a live hello → world call. Nothing outside the README's steps; the times go
// in the README. Run with `npm run test:walkthrough` (part of `npm test`).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..', '..');
const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Use it with your own services'));
/** The workspace commands, as the section's first `sh` block has them. */
const commands = (/```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '')
  .split('\n')
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter((line) => line.length > 0);

const children: ChildProcess[] = [];
const scratch = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-walkthrough-'));
afterAll(() => {
  // Each in a process group of its own, killed whole: `meshdesk` on the older Node runs the command
  // as a child on Node 22, which a kill of its parent alone would leave running.
  for (const child of children) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(scratch, { recursive: true, force: true });
});

/** The first `node` on the system PATH (not this project's) older than 22: Debian's 20 here and on CI. */
function olderNodeFolder(): string | null {
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    if (folder.includes('node_modules') || !existsSync(path.join(folder, 'node'))) continue;
    const major = Number(execFileSync(path.join(folder, 'node'), ['--version']).toString().slice(1).split('.')[0]);
    if (major < 22) return folder;
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs `script` in bash with `env`, in `cwd`; resolves with its output once `ready` matches it. */
function bash(script: string, cwd: string, env: NodeJS.ProcessEnv, ready?: RegExp): Promise<string> {
  const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready?.test(output)) resolve(output);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => (code === 0 && !ready ? resolve(output) : reject(new Error(`\`${script}\` exited ${code}:\n${output}`))));
  });
}

/** A copy of this project as a fresh clone has it: the files git tracks or would track, nothing built. */
function freshCopy(into: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo }).toString().split('\0');
  for (const file of files.filter((name) => name && existsSync(path.join(repo, name)))) {
    mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
    cpSync(path.join(repo, file), path.join(into, file));
  }
}

const WORLD_PY = String.raw`
import http.server, sys
class World(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'world (python)'
        self.send_response(200); self.send_header('content-length', str(len(body))); self.end_headers(); self.wfile.write(body)
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), World).serve_forever()
`;

const HELLO_MJS = `
import http from 'node:http';
http.createServer(async (req, res) => res.end('hello, ' + (await (await fetch('http://world/')).text()))).listen(Number(process.argv[2]), '127.0.0.1');
`;

const older = olderNodeFolder();

describe('the README walkthrough: your own services', () => {
  it.skipIf(!older)(`from a fresh copy on ${older ? `${older}/node` : 'an older Node (none on PATH: skipped)'} to a live hello → world call`, async () => {
    expect(commands).toEqual(['meshdesk init', 'meshdesk serve', 'eval "$(meshdesk env)"']);
    expect(section).toContain('`npm install`, then `npm install -g .` puts `meshdesk` on your `PATH`');

    const clone = path.join(scratch, 'meshdesk');
    const prefix = path.join(scratch, 'prefix');
    const workspace = path.join(scratch, 'shop');
    mkdirSync(workspace);
    freshCopy(clone);
    // A user's shell: this machine's environment (its CA certificates, for one), the older Node
    // first on PATH, none of the variables npm or a mesh set for this test run, a home of its own.
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !/^(npm_|MESHDESK_|INIT_CWD$|NODE_USE_ENV_PROXY$|NODE_OPTIONS$|VITEST)|_proxy$/i.test(name)),
      ),
      PATH: [
        path.join(prefix, 'bin'),
        older ?? '',
        ...(process.env.PATH ?? '').split(path.delimiter).filter((folder) => !folder.includes('node_modules')),
      ].join(path.delimiter),
      XDG_CONFIG_HOME: path.join(scratch, 'config'),
      npm_config_prefix: prefix,
    };

    const installStarted = performance.now();
    await bash('npm install --no-audit --no-fund && npm install -g .', clone, env);
    const installSeconds = (performance.now() - installStarted) / 1000;
    expect(execFileSync(path.join(prefix, 'bin', 'meshdesk'), ['--version'], { env }).toString()).toMatch(/on Node v22\./);

    // The services, running as the developer runs them before the mesh exists.
    const [worldPort, helloPort] = [await freePort(), await freePort()];
    writeFileSync(path.join(workspace, 'world.py'), WORLD_PY);
    writeFileSync(path.join(workspace, 'hello.mjs'), HELLO_MJS);
    // The developer's Node for their own service: a Node 22 (the one installed with Meshdesk).
    const node22 = path.join(clone, 'node_modules', 'node', 'bin', 'node');
    void bash(`exec /usr/bin/python3 world.py ${worldPort}`, workspace, env, /never/).catch(() => {});
    const firstHello = spawn(node22, ['hello.mjs', `${helloPort}`], { cwd: workspace, env, detached: true });
    children.push(firstHello);
    await waitForPort(worldPort);
    await waitForPort(helloPort);

    const stepsStarted = performance.now();
    await bash(commands[0] ?? '', workspace, env);
    const config = readFileSync(path.join(workspace, 'meshdesk.yaml'), 'utf8');
    expect(config).toContain(`  world:\n    # 127.0.0.1:${worldPort} from pid`);
    expect(config).toContain(`  hello:\n    # 127.0.0.1:${helloPort} from pid`);

    // Free ports rather than 4140 and 9990, which another mesh on this machine may hold: the
    // variables `serve` documents. `meshdesk env` then learns them from the workspace's state.
    await bash(commands[1] ?? '', workspace, { ...env, MESHDESK_PROXY_PORT: '0', MESHDESK_ADMIN_PORT: '0' }, /in your shell/);
    firstHello.kill();
    await new Promise((resolve) => firstHello.once('exit', resolve));
    void bash(`${commands[2]}; exec ${node22} hello.mjs ${helloPort}`, workspace, env, /never/).catch(() => {});
    await waitForPort(helloPort);

    const tap = bash('meshdesk tap --caller hello --max 1 -o json', workspace, env, /\}\n/);
    // tap prints nothing until a call comes, and it may subscribe after a first call (the older Node
    // starts it on Node 22 first): call hello, as its user would, until tap has one.
    let tapped = false;
    void tap.finally(() => (tapped = true)).catch(() => {});
    while (!tapped) {
      expect(await (await fetch(`http://127.0.0.1:${helloPort}/`)).text()).toBe('hello, world (python)');
      await Promise.race([tap.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 500))]);
    }
    const call = JSON.parse((await tap).trim().split('\n').pop() ?? '{}') as { caller: string; service: string; status: number };
    const stepsSeconds = (performance.now() - stepsStarted) / 1000;
    expect(call).toMatchObject({ caller: 'hello', service: 'world', status: 200 });
    console.log(
      `walkthrough: install ${installSeconds.toFixed(1)} s (npm install + npm install -g .), init → serve → live hello → world call ${stepsSeconds.toFixed(1)} s`,
    );
  });
});

/** Waits until something accepts connections on `port` (a TCP connect: an HTTP call to hello would call world). */
async function waitForPort(port: number): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(true)).once('error', () => resolve(false));
      socket.unref();
      setTimeout(() => socket.destroy(), 500);
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}
