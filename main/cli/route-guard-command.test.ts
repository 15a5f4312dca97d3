// `meshdesk route all-to … --guard` against a real `meshdesk serve` (real process, real upstreams:
// v1 answers 200, v2 answers 500; real requests through its proxy): the guarded reroute rolls back,
// --wait prints the reason and exits 1, and `route show` shows the guard and the history's reason.
// Plus the flags' parsing. Needs `npm run build` first.
// Run: npx vitest run main/cli/route-guard-command.test.ts
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listenUpstream } from '../mesh/testing/http-upstream.js';
import { guardOf, parseDuration, parsePoints } from './route-guard-options.js';
import { runMeshdesk, serveWithYaml } from './testing/spawn-meshdesk.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function version(name: string, status: number): Promise<number> {
  return listenUpstream((_req, res) => res.writeHead(status, { 'content-type': 'text/plain' }).end(name), cleanups);
}

function viaProxy(proxyUrl: string): Promise<string> {
  const { hostname, port } = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    http
      .get({ host: hostname, port, path: '/', headers: { host: 'world' } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('meshdesk route … --guard', () => {
  it('rolls back a failing v2, says why, and shows the guard in `route show`', async () => {
    const [v1, v2] = [await version('v1', 200), await version('v2', 500)];
    const yaml = `services:\n  world:\n    versions:\n      v1: { instances: [127.0.0.1:${v1}] }\n      v2: { instances: [127.0.0.1:${v2}] }\n`;
    const { mesh, env } = await serveWithYaml(yaml, cleanups);
    for (let i = 0; i < 10; i++) expect(await viaProxy(mesh.proxyUrl)).toBe('v1');
    let done = false;
    const command = runMeshdesk(
      ['route', 'all-to', 'world', 'v2', '--guard', '--for', '30s', '--min-requests', '5', '--max-failure-rate', '1%', '--wait'],
      env,
    ).finally(() => (done = true));
    // Traffic while the guard watches, as a caller would send it.
    while (!done) await viaProxy(mesh.proxyUrl);
    const result = await command;
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('world: guard watching v2 (baseline v1): 0 of 5 requests');
    expect(result.stdout).toContain('world: guard rolled-back: rolled back by guard: success 0% < baseline 100% after 5 requests');
    expect(await viaProxy(mesh.proxyUrl)).toBe('v1');
    const show = await runMeshdesk(['route', 'show', 'world'], env);
    expect(show.stdout).toMatch(/world\s+v1\s+100%.*by guard \(rolled back by guard: success 0% < baseline 100% after 5 requests\)/);
    expect(show.stdout).toContain('world: guard rolled-back:');
  });
});

describe('guard flags', () => {
  it('parses durations and percentages, and sends only the flags given', () => {
    expect([parseDuration('60s'), parseDuration('2m'), parseDuration('500ms'), parseDuration('90')]).toEqual([60, 120, 0.5, 90]);
    expect(() => parseDuration('soon')).toThrow('not a duration: soon');
    expect([parsePoints('1%'), parsePoints('0.5')]).toEqual([1, 0.5]);
    expect(() => parsePoints('120%')).toThrow('not a percentage');
    expect(guardOf({})).toBeUndefined();
    expect(guardOf({ guard: true })).toEqual({});
    expect(guardOf({ minRequests: 30 })).toEqual({ minRequests: 30 });
  });
});
