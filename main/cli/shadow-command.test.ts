// `meshdesk shadow` against a real `meshdesk serve` (real process; real upstreams for v1 and v2 of
// `world`, v2 answering another name, both a per-call timestamp; requests through its proxy with
// Node's fetch over undici's ProxyAgent, as a service with http_proxy set sends them): start, the
// copies v2 gets while callers only see v1, `shadow status`, stop; a POST copied only once
// `--methods POST` opts it in, with the warning; errors for an unknown service or version, bad flags
// and no mesh. Needs `npm run build` first. Run: npx vitest run main/cli/shadow-command.test.ts
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { shadowViewSchema } from '../../shared/shadow.js';
import { closedPort } from '../mesh/proxy/testing/harness.js';
import { parseMethods, parseShadowPercent, ruleOf } from './shadow-command.js';
import { servedWorld as servedWorldOf } from './testing/served-world.js';
import { runMeshdesk } from './testing/spawn-meshdesk.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The served world, with its `shadow status` and the shadow copies a version received. */
async function servedWorld() {
  const world = await servedWorldOf(cleanups);
  const status = async () => z.array(shadowViewSchema).parse(JSON.parse((await runMeshdesk(['shadow', 'status', '--json'], world.env)).stdout));
  const copies = (name: 'v1' | 'v2', method: string) => world.received[name].filter((request) => request.shadow && request.method === method);
  return { ...world, status, copies };
}

describe('meshdesk shadow', () => {
  it('copies v1’s GETs to v2 while callers only get v1, counts them in `status`, and stops', { timeout: 40_000 }, async () => {
    const { env, call, status, copies } = await servedWorld();
    const started = await runMeshdesk(['shadow', 'start', 'world', '--to', 'v2', '--from', 'v1'], env);
    expect(started.code).toBe(0);
    expect(started.stdout).toBe(
      'shadowing world: 100% of the GET, HEAD, OPTIONS requests routed to v1 are copied to v2; callers only get v1’s answers\nsee what differs: meshdesk diff world\n',
    );

    for (let id = 1; id <= 8; id++) expect(await call('GET', `/users/${id}`)).toMatchObject({ user: { name: 'Ann' } });
    await expect.poll(async () => (await status())[0]?.pairs, { timeout: 10_000 }).toBe(8);
    const [view] = await status();
    expect(view).toMatchObject({ service: 'world', from: 'v1', to: 'v2', percent: 100, origin: 'cli', pairs: 8, differing: 8, warning: null });
    expect(view?.stats).toMatchObject({ mirrored: 8, answered: 8, failed: 0, dropped: 0, skipped: 0, pending: 0 });
    expect(copies('v2', 'GET').map((request) => request.url)).toEqual([
      '/users/1',
      '/users/2',
      '/users/3',
      '/users/4',
      '/users/5',
      '/users/6',
      '/users/7',
      '/users/8',
    ]);

    const table = await runMeshdesk(['shadow', 'status'], env);
    expect(table.stdout).toMatch(/^SERVICE\s+FROM → TO\s+PERCENT\s+METHODS\s+COMPARED\s+DIFFERING\s+DROPPED\s+SKIPPED\s+SHADOW P50\s+SHADOW P99\n/);
    expect(table.stdout).toMatch(/\nworld\s+v1 → v2\s+100%\s+GET,HEAD,OPTIONS\s+8\s+100% \(8\)\s+0\s+0\s+\d[\d.]*m?s\s+\d[\d.]*m?s\n$/);

    const stopped = await runMeshdesk(['shadow', 'stop', 'world'], env);
    expect(stopped.stdout).toBe('stopped shadowing world; its diffs stay until `meshdesk diff clear world`\n');
    expect((await runMeshdesk(['shadow', 'status'], env)).stdout).toBe('no shadow rules; start one with `meshdesk shadow start <service> --to <version>`\n');
    expect(await call('GET', '/users/9')).toMatchObject({ user: { name: 'Ann' } });
    // A copy leaves on the next turn of the mesh's event loop; after a quiet half second none came.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(copies('v2', 'GET')).toHaveLength(8);
    const again = await runMeshdesk(['shadow', 'stop', 'world'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('meshdesk: service world has no shadow rule\n');
  });

  it('copies a POST only once --methods POST opts it in, and says its side effects happen twice', { timeout: 40_000 }, async () => {
    const { env, call, status, copies } = await servedWorld();
    expect((await runMeshdesk(['shadow', 'start', 'world', '--to', 'v2', '--from', 'v1'], env)).stdout).not.toContain('warning');
    await call('POST', '/users', '{"name":"Bo"}');
    await call('GET', '/users/1');
    // The GET after it was compared: had the POST been copied, it would have been sent first.
    await expect.poll(async () => (await status())[0]?.stats.mirrored, { timeout: 10_000 }).toBe(1);
    expect(copies('v2', 'POST')).toEqual([]);

    const optedIn = await runMeshdesk(['shadow', 'start', 'world', '--to', 'v2', '--from', 'v1', '--methods', 'post'], env);
    expect(optedIn.code).toBe(0);
    expect(optedIn.stdout).toContain('of the GET, HEAD, OPTIONS, POST requests routed to v1 are copied to v2');
    expect(optedIn.stdout).toContain('warning: POST requests are copied');
    await call('POST', '/users', '{"name":"Cy"}');
    await expect.poll(() => copies('v2', 'POST'), { timeout: 10_000 }).toEqual([{ method: 'POST', url: '/users', body: '{"name":"Cy"}', shadow: true }]);
    expect((await runMeshdesk(['shadow', 'status'], env)).stdout).toContain('world: warning: POST requests are copied');
  });

  it('says what is wrong: unknown service or version, bad flags, no mesh', async () => {
    const { env } = await servedWorld();
    const unknownService = await runMeshdesk(['shadow', 'start', 'planet', '--to', 'v2'], env);
    expect([unknownService.code, unknownService.stderr]).toEqual([1, 'meshdesk: unknown service planet\n']);
    const unknownVersion = await runMeshdesk(['shadow', 'start', 'world', '--to', 'v9'], env);
    expect([unknownVersion.code, unknownVersion.stderr]).toEqual([1, 'meshdesk: service world has no version v9 (it has v1, v2)\n']);
    const noTo = await runMeshdesk(['shadow', 'start', 'world'], env);
    expect(noTo.code).toBe(1);
    expect(noTo.stderr).toContain("error: required option '--to <version>' not specified");
    expect((await runMeshdesk(['shadow', 'start', 'world', '--to', 'v2', '--percent', '0'], env)).stderr).toContain('percent must be above 0');
    expect((await runMeshdesk(['shadow', 'stop', 'world'], env)).stderr).toBe('meshdesk: service world has no shadow rule\n');

    const port = await closedPort();
    const unreachable = await runMeshdesk(['shadow', 'status'], { ...env, MESHDESK_ADMIN_URL: `http://127.0.0.1:${port}` });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain(`no mesh answers at http://127.0.0.1:${port}`);
  });
});

describe('shadow flags', () => {
  it('parses shares and methods by the rule’s own schema, and sends only the flags given', () => {
    expect([parseShadowPercent('50'), parseShadowPercent('12.5%'), parseShadowPercent('100')]).toEqual([50, 12.5, 100]);
    expect(() => parseShadowPercent('0')).toThrow('percent must be above 0');
    expect(() => parseShadowPercent('150%')).toThrow('percent must be at most 100');
    expect(() => parseShadowPercent('half')).toThrow('not a percentage: half');
    expect(parseMethods('post, Put')).toEqual(['POST', 'PUT']);
    expect(() => parseMethods('PO ST')).toThrow('a method is letters only');
    expect(() => parseMethods(',')).toThrow('no method given');
    expect(ruleOf('world', { to: 'v2', ignoreHeader: [] })).toEqual({ service: 'world', to: 'v2', origin: 'cli' });
    expect(ruleOf('world', { to: 'v2', from: 'v1', percent: 50, methods: ['POST'], ignoreHeader: ['x-build'] })).toEqual({
      service: 'world',
      to: 'v2',
      from: 'v1',
      percent: 50,
      methods: ['POST'],
      ignoreHeaders: ['x-build'],
      origin: 'cli',
    });
  });
});
