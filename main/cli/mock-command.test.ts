// `meshdesk mock` against a running `meshdesk serve` (real process, real upstream, curl through the
// proxy): record to the workspace, serve with the upstream gone, route to `recorded`, list, stop.
// Needs `npm run build` first. Run: npx vitest run main/cli/mock-command.test.ts
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runMeshdesk, serveWithYaml } from './testing/spawn-meshdesk.js';

const exec = promisify(execFile);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('meshdesk mock', () => {
  it('records, serves with the service stopped, lists and stops', async () => {
    const server = http.createServer((req, res) => res.end(`world says ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const { mesh, env, configFile } = await serveWithYaml(`services:\n  world:\n    versions:\n      v1: { instances: [127.0.0.1:${port}] }\n`, cleanups);
    const curl = async (url: string) => (await exec('curl', ['-sS', '-x', mesh.proxyUrl, url])).stdout;
    expect(await curl('http://world/a')).toBe('world says /a');
    expect(await curl('http://world/b?x=1')).toBe('world says /b?x=1');
    // The exchange leaves for the log once the OS has said who called: wait until record finds both.
    const file = path.join(path.dirname(configFile), 'mocks', 'world.har');
    await expect
      .poll(async () => (await runMeshdesk(['mock', 'record', 'world', '--since', '10m'], env)).stdout, { timeout: 5_000 })
      .toBe(`recorded 2 exchanges of world to ${file}\n`);
    expect(existsSync(file)).toBe(true);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));

    const served = await runMeshdesk(['mock', 'serve', 'world'], env);
    expect(served.code).toBe(0);
    expect(served.stdout).toBe(`serving 2 recorded exchanges as world@recorded (${file})\nroute to it: meshdesk route all-to world recorded\n`);
    expect((await runMeshdesk(['route', 'all-to', 'world', 'recorded'], env)).code).toBe(0);
    expect(await curl('http://world/b?x=1')).toBe('world says /b?x=1');
    expect(await curl('http://world/c')).toContain('nothing recorded matches GET /c');

    const listed = await runMeshdesk(['mock', 'list'], env);
    expect(listed.stdout).toMatch(/world@recorded\s+\S*mocks\/world\.har\s+2\s+request\s+1\s+1/);
    const stopped = await runMeshdesk(['mock', 'stop', 'world'], env);
    expect(stopped.stdout).toBe('no mocks\n');
    const again = await runMeshdesk(['mock', 'stop', 'world'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('world has no mock');
    expect((await runMeshdesk(['mock', 'record', 'world', '--since', 'soon'], env)).stderr).toContain('not a duration: soon');
  });
});
