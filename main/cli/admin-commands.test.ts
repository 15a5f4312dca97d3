// Each admin CLI command against a running `meshdesk serve` (real process, real upstreams, real
// traffic): stat, tap (streaming), top, route, register/deregister and fault, in text and --json,
// with readable errors and exit codes.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../package-root.js';
import { answering, listenUpstream } from '../mesh/testing/http-upstream.js';
import { runMeshdesk, serveWithYaml, type RunningMeshdesk } from './testing/spawn-meshdesk.js';

const exec = promisify(execFile);
const cleanups: (() => unknown)[] = [];
let mesh: RunningMeshdesk;
let env: NodeJS.ProcessEnv;
let configFile: string;

const upstream = (body: string) => listenUpstream(answering(body), cleanups);

beforeEach(async () => {
  const v1 = await upstream('world v1');
  const v2 = await upstream('world v2');
  ({ mesh, env, configFile } = await serveWithYaml(
    `services:\n  world:\n    versions:\n      v1: { instances: [127.0.0.1:${v1}] }\n      v2: { instances: [127.0.0.1:${v2}] }\n`,
    cleanups,
  ));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function traffic(count: number, url = 'http://world/'): Promise<void> {
  for (let i = 0; i < count; i++) await exec('curl', ['-sS', '-o', '/dev/null', '-x', mesh.proxyUrl, url]);
}

/** One request through the proxy, naming its caller (`x-meshdesk-caller`) and method as a client would. */
async function send(url: string, caller: string, method = 'GET'): Promise<void> {
  await exec('curl', ['-sS', '-o', '/dev/null', '-x', mesh.proxyUrl, '-X', method, '-H', `x-meshdesk-caller: ${caller}`, url]);
}

/** Sends requests until `command` finishes: a streaming command may take a moment to connect. */
async function trafficUntil<T>(command: Promise<T>, url: string): Promise<T> {
  let done = false;
  void command.finally(() => (done = true));
  while (!done) await traffic(1, url);
  return command;
}

describe('admin CLI commands', () => {
  it('status shows where the mesh listens and, after a broken save, the error with its line, exit 1', async () => {
    const fine = await runMeshdesk(['status'], env);
    expect(fine.code).toBe(0);
    expect(fine.stdout).toContain(`proxy      ${mesh.proxyUrl}`);
    expect(fine.stdout).toContain('services   world');
    writeFileSync(configFile, 'services:\n  world:\n    instances: [127.0.0.1:99999]\n');
    await expect
      .poll(async () => (await runMeshdesk(['status'], env)).stdout, { timeout: 5_000 })
      .toMatch(/error meshdesk\.yaml:3:\d+ .*port must be between 1 and 65535/);
    const broken = await runMeshdesk(['status'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('the last good config stays in force');
    expect(broken.stdout).toContain('services   world');
  });

  it('status --json gives the same facts as one JSON document', async () => {
    const result = await runMeshdesk(['status', '--json'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ proxyUrl: mesh.proxyUrl, configFile: configFile, configErrors: [], services: ['world'] });
  });

  it('stat shows per-service and per-version golden metrics, as a table and as JSON', async () => {
    await traffic(5);
    const text = await runMeshdesk(['stat'], env);
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^SERVICE\s+VERSION\s+SUCCESS\s+RPS\s+P50\s+P95\s+P99\s+REQUESTS$/);
    expect(lines.find((line) => /^world\s+\*/.test(line))).toMatch(/100\.00%.*\s5$/);
    expect(lines.find((line) => /^world\s+v1/.test(line))).toMatch(/\s5$/);
    const json = JSON.parse((await runMeshdesk(['stat', 'world', '--json'], env)).stdout);
    expect(json.services[0]).toMatchObject({ service: 'world', stats: { totals: { requests: 5, failures: 0 } } });
    const unknown = await runMeshdesk(['stat', 'nope'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no traffic to nope yet');
  });

  it('tap streams matching requests as they happen, as text and as JSON lines', async () => {
    const tapping = runMeshdesk(['tap', '--service', 'world', '--path', 'tapped', '--max', '2', '-o', 'json'], env);
    await traffic(1, 'http://elsewhere.invalid/tapped'); // not world: filtered out
    const result = await trafficUntil(tapping, 'http://world/tapped');
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { service: string; path: string; status: number });
    expect(events).toHaveLength(2);
    expect(events.every((event) => event.service === 'world' && event.path === '/tapped' && event.status === 200)).toBe(true);

    const badWords = await runMeshdesk(['tap', 'servce=world'], env);
    expect(badWords.code).toBe(2);
    expect(badWords.stderr).toContain('servce=world');
    const textTap = runMeshdesk(['tap', 'status=2xx', 'method=GET', '--max', '1'], env);
    expect((await trafficUntil(textTap, 'http://world/')).stdout).toMatch(/^\d\d:\d\d:\d\d\.\d{3} shell → world@v1 GET \/ 200 \d/);
  });

  it('tap filters by header and by free text through the log, and --bodies shows the captured bodies', async () => {
    const post = (trace: string, body: string) =>
      exec('curl', ['-sS', '-o', '/dev/null', '-x', mesh.proxyUrl, '-H', `x-trace: ${trace}`, '--data-binary', body, 'http://world/traced']);
    const byHeader = runMeshdesk(['tap', 'header:x-trace=wanted', '--bodies', '--max', '1'], env);
    let done = false;
    void byHeader.finally(() => (done = true));
    while (!done) {
      await post('other', 'not this one'); // a near miss: same path, another header value
      await post('wanted', 'posted body');
    }
    const result = await byHeader;
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/shell → world@v\d POST \/traced 200 /);
    expect(lines.slice(1)).toEqual(['  > 11 bytes', '  > posted body', '  < 8 bytes', expect.stringMatching(/^ {2}< world v\d$/)]);
    expect(result.stdout).not.toContain('not this one');

    // Free text reaches into headers too; with JSON and --bodies each line is the logged exchange.
    const byText = runMeshdesk(['tap', 'wanted', '--bodies', '--max', '1', '--json'], env);
    done = false;
    void byText.finally(() => (done = true));
    while (!done) {
      await post('other', 'x');
      await post('wanted', 'y');
    }
    const exchange = JSON.parse((await byText).stdout) as { requestHeaders: [string, string][]; requestBody: { data: string } };
    expect(exchange.requestHeaders).toContainEqual(['x-trace', 'wanted']);
    expect(exchange.requestBody.data).toBe('y');
  });

  it('tap --caller --method --status keep only the matching exchanges, and --json prints JSON lines', async () => {
    // An upstream that answers the status its path names, so one caller and method can see several.
    const port = await listenUpstream((req, res) => res.writeHead(Number(req.url?.slice(1)) || 200).end(), cleanups);
    expect((await runMeshdesk(['register', 'codes', `127.0.0.1:${port}`], env)).code).toBe(0);
    const tapping = runMeshdesk(['tap', '--service', 'codes', '--caller', 'tapper', '--method', 'POST', '--status', '4xx', '--max', '2', '--json'], env);
    // Each round sends one near miss per flag, then the match. Needing two matches means a whole
    // round of near misses crosses the mesh while tap is connected: any it let through would print.
    let done = false;
    void tapping.finally(() => (done = true));
    while (!done) {
      await send('http://codes/404', 'other', 'POST'); // another caller
      await send('http://codes/404', 'tapper', 'GET'); // another method
      await send('http://codes/200', 'tapper', 'POST'); // another status class
      await send('http://codes/404', 'tapper', 'POST'); // the match
    }
    const result = await tapping;
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(events).toHaveLength(2);
    for (const event of events) expect(event).toMatchObject({ service: 'codes', caller: 'tapper', method: 'POST', path: '/404', status: 404 });
  });

  it('top groups live requests by caller, target and path', async () => {
    const result = await trafficUntil(runMeshdesk(['top', '--duration', '3'], env), 'http://world/a');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^CALLER\s+TARGET\s+METHOD\s+PATH\s+COUNT\s+SUCCESS\s+BEST\s+WORST\s+LAST$/m);
    expect(result.stdout).toMatch(/shell\s+world@v1\s+GET\s+\/a\s+[1-9]\d*\s+100%/);
  });

  it('top --json prints the rows of the table once, as one JSON document', async () => {
    const result = await trafficUntil(runMeshdesk(['top', '--duration', '3', '--json'], env), 'http://world/b');
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout) as { rows: { count: number; latencyMs: { best: number; worst: number; last: number } }[] };
    expect(snapshot.rows).toHaveLength(1);
    const [row] = snapshot.rows;
    expect(row).toMatchObject({ caller: 'shell', target: 'world@v1', method: 'GET', path: '/b', failures: 0, successRate: 1 });
    expect(row?.count).toBeGreaterThan(0);
    expect(row?.latencyMs.best).toBeLessThanOrEqual(row?.latencyMs.worst ?? -1);
  });

  it('top --json on Ctrl+C prints its snapshot rather than losing it', async () => {
    const top = spawn(process.execPath, [path.join(packageRoot(), 'bin', 'meshdesk.js'), 'top', '--json'], { env: { ...process.env, ...env } });
    let stdout = '';
    top.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = once(top, 'exit');
    // Long enough for top to connect to the push stream, with traffic all along.
    const until = Date.now() + 2_000;
    while (Date.now() < until) await traffic(1, 'http://world/interrupted');
    top.kill('SIGINT');
    expect(await exited).toEqual([0, null]);
    const snapshot = JSON.parse(stdout) as { rows: { path: string; count: number }[] };
    expect(snapshot.rows.find((row) => row.path === '/interrupted')?.count).toBeGreaterThan(0);
  });

  it('route shows, splits, sends all to a version and rolls back', async () => {
    expect((await runMeshdesk(['route', 'show', 'world'], env)).stdout).toMatch(/world\s+v1\s+100%\s+default/);
    const split = await runMeshdesk(['route', 'set', 'world', 'v1=80', 'v2=20'], env);
    expect(split.stdout).toMatch(/v1\s+80%/);
    expect(split.stdout).toMatch(/v2\s+20%/);
    const all = JSON.parse((await runMeshdesk(['route', 'all-to', 'world', 'v2', '--json'], env)).stdout);
    expect(all[0].effectiveWeights).toEqual({ v1: 0, v2: 1 });
    expect(all[0].history[0].origin).toBe('cli');
    expect((await runMeshdesk(['route', 'rollback', 'world'], env)).stdout).toMatch(/v1\s+80%/);
    const bad = await runMeshdesk(['route', 'all-to', 'world', 'v9'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('meshdesk: service world has no version v9 (it has v1, v2)');
    const badPair = await runMeshdesk(['route', 'set', 'world', 'v1:80'], env);
    expect(badPair.code).not.toBe(0);
    expect(badPair.stderr).toContain('not a version=weight pair: v1:80');
  });

  it('register makes a new service reachable through the proxy; deregister removes it', async () => {
    const port = await upstream('search says hi');
    const registered = await runMeshdesk(['register', 'search', `127.0.0.1:${port}`, '--version', 'v3'], env);
    expect(registered.stdout.trim()).toBe(`registered search@v3 at 127.0.0.1:${port}`);
    expect((await exec('curl', ['-sS', '-x', mesh.proxyUrl, 'http://search/'])).stdout).toBe('search says hi');
    expect((await runMeshdesk(['deregister', 'search', `127.0.0.1:${port}`], env)).code).toBe(0);
    const again = await runMeshdesk(['deregister', 'search', `127.0.0.1:${port}`], env);
    expect(again.code).toBe(1);
    const invalid = await runMeshdesk(['register', 'Not_A_Label', '127.0.0.1:1'], env);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('must be a DNS label');
  });

  it('register and deregister --json print the services as they now stand', async () => {
    const port = await upstream('search as JSON');
    const registered = await runMeshdesk(['register', 'search', `127.0.0.1:${port}`, '--version', 'v3', '--json'], env);
    expect(registered.code).toBe(0);
    const after = JSON.parse(registered.stdout) as { name: string; versions: { name: string; instances: { address: string; origin: string }[] }[] }[];
    expect(after.find((service) => service.name === 'search')?.versions).toEqual([
      { name: 'v3', instances: [expect.objectContaining({ address: `127.0.0.1:${port}`, origin: 'CLI' })] },
    ]);
    const deregistered = await runMeshdesk(['deregister', 'search', `127.0.0.1:${port}`, '--json'], env);
    expect(deregistered.code).toBe(0);
    expect((JSON.parse(deregistered.stdout) as { name: string }[]).map((service) => service.name)).toEqual(['world']);
  });

  it('import-compose registers the services a compose file publishes, and they answer through the proxy', async () => {
    const port = await upstream('web from compose');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-compose-'));
    const file = path.join(dir, 'docker-compose.yml');
    writeFileSync(file, `services:\n  web:\n    image: nginx\n    ports: ["127.0.0.1:${port}:80"]\n  db:\n    image: postgres\n`);
    const imported = await runMeshdesk(['import-compose', file], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout.trim()).toBe(`registered web@default 127.0.0.1:${port} (docker-compose.yml:4)`);
    expect(imported.stderr).toContain('db');
    expect((await exec('curl', ['-sS', '-x', mesh.proxyUrl, 'http://web/'])).stdout).toBe('web from compose');
  });

  it('fault sets, lists and clears injected faults', async () => {
    const set = await runMeshdesk(['fault', 'set', 'world', '--percent', '25', '--abort', '503', '--caller', 'hello'], env);
    expect(set.stdout).toMatch(/world\s+hello\s+25%\s+-\s+503/);
    expect(JSON.parse((await runMeshdesk(['fault', 'list', '--json'], env)).stdout)).toEqual([
      { service: 'world', caller: 'hello', percent: 25, abortStatus: 503 },
    ]);
    expect((await runMeshdesk(['fault', 'clear', 'world', '--caller', 'hello'], env)).stdout.trim()).toBe('no faults');
    const noEffect = await runMeshdesk(['fault', 'set', 'world', '--percent', '10'], env);
    expect(noEffect.code).toBe(1);
    expect(noEffect.stderr).toContain('a fault needs delayMs, abortStatus or abortGrpcStatus');
    const grpc = await runMeshdesk(['fault', 'set', 'world', '--percent', '10', '--grpc-status', 'unavailable'], env);
    expect(grpc.stdout).toMatch(/world\s+\*\s+10%\s+-\s+gRPC UNAVAILABLE/);
    expect(JSON.parse((await runMeshdesk(['fault', 'list', '--json'], env)).stdout)).toEqual([{ service: 'world', percent: 10, abortGrpcStatus: 14 }]);
    const badCode = await runMeshdesk(['fault', 'set', 'world', '--grpc-status', 'OK'], env);
    expect(badCode.code).not.toBe(0);
    expect(badCode.stderr).toContain('not a gRPC error status: OK');
  });
});
