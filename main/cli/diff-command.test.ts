// `meshdesk diff` against a real `meshdesk serve` (real process; real upstreams for v1 and v2 of
// `world`, v2 answering another name, both a per-call timestamp; GETs through its proxy with Node's
// fetch over undici's ProxyAgent) after `meshdesk shadow start`: the summary names the differing
// field per endpoint and leaves the timestamp out as noise, `--json` is the mesh's answer, `--pairs`
// lists pairs newest first, `--endpoint` narrows, `diff clear` forgets; errors for a service never
// shadowed, a bad endpoint and no mesh. Needs `npm run build` first.
// Run: npx vitest run main/cli/diff-command.test.ts
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { diffPairSchema, serviceDiffsSchema } from '../../shared/shadow.js';
import { closedPort } from '../mesh/proxy/testing/harness.js';
import { parseEndpoint } from './diff-command.js';
import { servedWorld as servedWorldOf } from './testing/served-world.js';
import { runMeshdesk } from './testing/spawn-meshdesk.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The served world, a GET through its proxy, and `diff world --json`. */
async function servedWorld() {
  const world = await servedWorldOf(cleanups);
  const get = (path: string) => world.call('GET', path);
  const diffs = async (...flags: string[]) =>
    serviceDiffsSchema.parse(JSON.parse((await runMeshdesk(['diff', 'world', '--json', ...flags], world.env)).stdout));
  return { ...world, get, diffs };
}

describe('meshdesk diff', () => {
  it('names the field that differs per endpoint, leaves the timestamp out as noise, lists pairs and clears', { timeout: 40_000 }, async () => {
    const { env, get, diffs } = await servedWorld();
    expect((await runMeshdesk(['shadow', 'start', 'world', '--to', 'v2'], env)).code).toBe(0);
    for (let id = 1; id <= 6; id++) expect(await get(`/users/${id}`)).toMatchObject({ user: { name: 'Ann' } });
    await expect.poll(async () => (await diffs()).pairs, { timeout: 10_000 }).toBe(6);

    const answer = await diffs();
    expect(answer).toMatchObject({ service: 'world', shadow: { from: null, to: 'v2' }, pairs: 6, differing: 6 });
    expect(answer.endpoints).toEqual([
      {
        method: 'GET',
        pattern: '/users/{id}',
        pairs: 6,
        differing: 6,
        fields: [{ field: 'body.user.name', pairs: 6, lastPairId: expect.any(Number) }],
        noisy: [{ field: 'body.ts', pairs: 6, lastPairId: expect.any(Number) }],
        lastPairId: expect.any(Number),
      },
    ]);
    const text = await runMeshdesk(['diff', 'world'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      [
        'world: shadowing any → v2 (100% of GET, HEAD, OPTIONS); 6 pairs compared, 6 differ (100%)',
        '',
        'GET /users/{id}  6 pairs, 6 differ (100%)',
        '  body.user.name  6',
        '  noise, left out: body.ts (6)',
        '',
        'the pairs themselves: meshdesk diff world --pairs --differing',
        '',
      ].join('\n'),
    );
    // The escape hatch for a service named like the subcommand gives the same answer.
    expect((await runMeshdesk(['diff', '--service', 'world'], env)).stdout).toBe(text.stdout);

    const pairs = z.array(diffPairSchema).parse(JSON.parse((await runMeshdesk(['diff', 'world', '--pairs', '--differing', '--json'], env)).stdout));
    expect(pairs.map((pair) => pair.path)).toEqual(['/users/6', '/users/5', '/users/4', '/users/3', '/users/2', '/users/1']);
    expect(pairs.map((pair) => pair.id)).toEqual([...pairs.map((pair) => pair.id)].sort((a, b) => b - a));
    for (const pair of pairs) {
      expect(pair).toMatchObject({ verdict: 'different', primary: { version: 'v1', status: 200 }, shadow: { version: 'v2', status: 200 } });
      expect(pair.differences).toContainEqual({ field: 'body.user.name', kind: 'changed', primary: '"Ann"', shadow: '"Anne"', noisy: false });
      expect(pair.differences).toContainEqual(expect.objectContaining({ field: 'body.ts', kind: 'changed', noisy: true }));
    }
    const listed = await runMeshdesk(['diff', 'world', '--pairs', '--limit', '2'], env);
    expect(listed.stdout).toMatch(
      /^#\d+ {2}\d\d:\d\d:\d\d\.\d{3} {2}GET \/users\/6 {2}different {2}v1 200 \S+ \| v2 200 \S+\n {2}body\.user\.name {2}changed {2}"Ann" → "Anne"\n/,
    );
    expect(listed.stdout).toMatch(/\n {2}body\.ts {9}changed {2}"\d+" → "\d+" {2}\(noise\)\n/);
    expect(listed.stdout.match(/^#\d+/gm)).toHaveLength(2);

    expect((await diffs('--endpoint', 'GET /users/{id}')).endpoints).toHaveLength(1);
    const otherEndpoint = await runMeshdesk(['diff', 'world', '--endpoint', 'GET /orders/{id}'], env);
    expect([otherEndpoint.code, otherEndpoint.stderr]).toEqual([1, 'meshdesk: no pairs of world for GET /orders/{id} (endpoints: GET /users/{id})\n']);

    const cleared = await runMeshdesk(['diff', 'clear', 'world'], env);
    expect(cleared.stdout).toBe('forgot 6 pairs of world and the noise learnt\n');
    expect(await diffs()).toMatchObject({ pairs: 0, differing: 0, endpoints: [] });
    expect((await runMeshdesk(['diff', 'world'], env)).stdout).toContain('nothing compared yet: send GET, HEAD, OPTIONS requests to world through the proxy');
  });

  it('says what is wrong: a service never shadowed, a bad endpoint, no mesh', async () => {
    const { env } = await servedWorld();
    const never = await runMeshdesk(['diff', 'world'], env);
    expect(never.code).toBe(1);
    expect(never.stderr).toBe('meshdesk: service world was never shadowed: start with meshdesk shadow start world --to <version>\n');
    expect((await runMeshdesk(['diff', 'planet', '--json'], env)).code).toBe(1);
    const badEndpoint = await runMeshdesk(['diff', 'world', '--endpoint', 'users'], env);
    expect(badEndpoint.code).toBe(1);
    expect(badEndpoint.stderr).toContain('not an endpoint: users (e.g. "GET /users/{id}")');

    const port = await closedPort();
    const unreachable = await runMeshdesk(['diff', 'world'], { ...env, MESHDESK_ADMIN_URL: `http://127.0.0.1:${port}` });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain(`no mesh answers at http://127.0.0.1:${port}`);
  });
});

describe('--endpoint', () => {
  it('takes a method and a path pattern, or a pattern alone', () => {
    expect(parseEndpoint('GET /users/{id}')).toEqual({ method: 'GET', pattern: '/users/{id}' });
    expect(parseEndpoint('post /users')).toEqual({ method: 'POST', pattern: '/users' });
    expect(parseEndpoint('/users/{id}')).toEqual({ pattern: '/users/{id}' });
    expect(() => parseEndpoint('GET users')).toThrow('not an endpoint');
  });
});
