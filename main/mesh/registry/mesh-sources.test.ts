// The Mesh wired to every registry source at once, with real parts: a workspace folder holding
// meshdesk.yaml and disco/, a JsonFileStore on disk, real upstream HTTP servers, curl through the real
// proxy. Checks origins, hot reload, a broken save keeping the last good routing, health checks
// taking an instance out of the proxy's pool, and runtime registrations surviving a restart.
// Run: npx vitest run main/mesh/registry/mesh-sources.test.ts
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Mesh } from '../mesh.js';
import { JsonFileStore } from '../store/json-file-store.js';
import { emptyMeshState } from '../store/mesh-state.js';

const exec = promisify(execFile);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function upstream(name: string) {
  let healthy = true;
  const server = http.createServer((req, res) => {
    if (req.url === '/health') res.statusCode = healthy ? 200 : 503;
    res.end(`${name} answered`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  );
  return { port: (server.address() as AddressInfo).port, setHealthy: (value: boolean) => (healthy = value) };
}

function workspace() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-workspace-'));
  mkdirSync(path.join(dir, 'disco'));
  mkdirSync(path.join(dir, 'state'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startMesh(dir: string) {
  const log: string[] = [];
  const mesh = await Mesh.create({
    proxyHost: '127.0.0.1',
    proxyPort: 0,
    adminHost: '127.0.0.1',
    adminPort: 0,
    configFile: path.join(dir, 'meshdesk.yaml'),
    rendererRoot: dir,
    stateStore: new JsonFileStore({ directory: path.join(dir, 'state'), defaults: emptyMeshState() }),
    log: (line) => log.push(line),
  });
  const addresses = await mesh.start();
  cleanups.push(() => mesh.stop(0));
  const curl = async (url: string) => {
    const { stdout } = await exec('curl', ['-sS', '-x', addresses.proxyUrl, '-w', ' %{http_code}', url]);
    return stdout;
  };
  return { mesh, log, curl };
}

const until = (check: () => unknown) => vi.waitFor(check, { timeout: 5_000, interval: 20 });

describe('Mesh registry sources', () => {
  it('merges meshdesk.yaml, disco/ and runtime registrations, each instance with its origin; registrations survive a restart', async () => {
    const [v1, v2, hello] = [await upstream('world v1'), await upstream('world v2'), await upstream('hello')];
    const dir = workspace();
    writeFileSync(path.join(dir, 'meshdesk.yaml'), `services:\n  world:\n    versions:\n      v1:\n        instances: [127.0.0.1:${v1.port}]\n`);
    writeFileSync(path.join(dir, 'disco', 'world@v2'), `127.0.0.1 ${v2.port}\n`);
    const first = await startMesh(dir);
    first.mesh.register({ service: 'hello', address: `127.0.0.1:${hello.port}`, origin: 'CLI' });

    const origins = first.mesh.registry
      .list()
      .flatMap((service) => service.versions.flatMap((version) => version.instances.map((instance) => `${service.name}@${version.name} ${instance.origin}`)));
    expect(origins).toEqual(['world@v1 meshdesk.yaml:5', 'world@v2 disco/world@v2', 'hello@default CLI']);
    expect(await first.curl('http://hello/')).toBe('hello answered 200');
    expect(await first.curl('http://world/')).toBe('world v1 answered 200');
    await first.mesh.stop(0);

    const second = await startMesh(dir);
    expect(second.mesh.registry.lookup('hello')?.versions.get('default')?.[0]?.origin).toBe('CLI');
    expect(await second.curl('http://hello/')).toBe('hello answered 200');
    second.mesh.deregister({ service: 'hello', address: `127.0.0.1:${hello.port}` });
    expect(second.mesh.registry.lookup('hello')).toBeUndefined();
  });

  it('hot-reloads meshdesk.yaml; a broken save keeps routing on the last good config and shows the error', async () => {
    const [a, b] = [await upstream('a'), await upstream('b')];
    const dir = workspace();
    const file = path.join(dir, 'meshdesk.yaml');
    writeFileSync(file, `services:\n  world:\n    instances: [127.0.0.1:${a.port}]\n`);
    const { mesh, log, curl } = await startMesh(dir);
    expect(await curl('http://world/')).toBe('a answered 200');

    writeFileSync(file, `services:\n  world:\n    instances: [127.0.0.1:${b.port}]\n`);
    await until(() => expect(mesh.registry.lookup('world')?.versions.get('default')?.[0]?.port).toBe(b.port));
    expect(await curl('http://world/')).toBe('b answered 200');

    writeFileSync(file, `services:\n  world:\n    instances: [127.0.0.1:${a.port}]\n    oops: true\n`);
    await until(() => expect(mesh.configErrorList).toEqual([expect.objectContaining({ file: 'meshdesk.yaml', line: 4, column: 5 })]));
    expect(await curl('http://world/')).toBe('b answered 200');
    expect(log).toContain('meshdesk: config not reloaded, the last good one stays in force:');
    expect(log.some((line) => line.startsWith('meshdesk: error meshdesk.yaml:4:5 services.world: Unrecognized key'))).toBe(true);

    writeFileSync(path.join(dir, 'disco', 'extra'), 'garbage\n');
    await until(() => expect(mesh.configErrorList).toContainEqual(expect.objectContaining({ file: 'disco/extra', line: 1 })));
    expect(mesh.configErrorList).toHaveLength(2);
  });

  it('takes an instance failing its health check out of the proxy pool and puts it back when it passes', async () => {
    const world = await upstream('world');
    const dir = workspace();
    writeFileSync(
      path.join(dir, 'meshdesk.yaml'),
      [
        'services:',
        '  world:',
        `    instances: [127.0.0.1:${world.port}]`,
        '    healthCheck: { type: http, path: /health, interval: 50ms, timeout: 500ms, healthyThreshold: 1, unhealthyThreshold: 1 }',
        '',
      ].join('\n'),
    );
    const { mesh, log, curl } = await startMesh(dir);
    const health = () => mesh.registry.lookup('world')?.versions.get('default')?.[0]?.health;
    await until(() => expect(health()).toBe('healthy'));
    world.setHealthy(false);
    await until(() => expect(health()).toBe('failing'));
    expect(await curl('http://world/')).toMatch(/ 503$/);
    world.setHealthy(true);
    await until(() => expect(health()).toBe('healthy'));
    expect(await curl('http://world/')).toBe('world answered 200');
    expect(log.filter((line) => line.startsWith('meshdesk: health'))).toEqual([
      `meshdesk: health world@default 127.0.0.1:${world.port} unknown -> healthy: HTTP 200 (first check)`,
      `meshdesk: health world@default 127.0.0.1:${world.port} healthy -> failing: HTTP 503, expected 2xx (1 failure in a row)`,
      `meshdesk: health world@default 127.0.0.1:${world.port} failing -> healthy: HTTP 200 (1 pass in a row)`,
    ]);
  });
});
