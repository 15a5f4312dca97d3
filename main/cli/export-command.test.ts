// `meshdesk export gateway-api` against a real `meshdesk serve` (built dist/, real process): the YAML
// on stdout and in a file is what the published Gateway API models accept, a route changed with
// `meshdesk route` is exported as changed, and bad flags or services get one readable line.
// Run: npm run build && npx vitest run main/cli/export-command.test.ts
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HTTPRoute, type IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runMeshdesk, serveWithYaml } from './testing/spawn-meshdesk.js';

const cleanups: (() => unknown)[] = [];
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  // The instances need not run: exporting sends no traffic.
  ({ env } = await serveWithYaml(
    [
      'services:',
      '  world:',
      '    versions:',
      '      v1: { instances: [127.0.0.1:7002] }',
      '      v2: { instances: [127.0.0.1:7003] }',
      '    route:',
      '      weights: { v1: 80, v2: 20 }',
      '      headers: [{ header: x-canary, value: "1", version: v2 }]',
      '    timeouts: { request: 3s }',
      '  search:',
      '    instances: [127.0.0.1:7004]',
      '    route: { alias: world }',
      '',
    ].join('\n'),
    cleanups,
  ));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function routesOf(text: string): IHTTPRoute[] {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) throw new Error('not a YAML stream');
  return documents.map((document) => {
    const route = new HTTPRoute(document.toJS() as IHTTPRoute);
    route.validate();
    return route.toJSON() as IHTTPRoute;
  });
}

describe('meshdesk export gateway-api', () => {
  it('prints every service’s HTTPRoute, valid for the Gateway API, in the namespace asked', async () => {
    const result = await runMeshdesk(['export', 'gateway-api', '--namespace', 'dev'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [world, search] = routesOf(result.stdout);
    expect(world?.metadata).toEqual({ name: 'world', namespace: 'dev' });
    expect(world?.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'world', port: 80 }]);
    expect(world?.spec.rules).toEqual([
      { matches: [{ headers: [{ name: 'x-canary', value: '1' }] }], backendRefs: [{ name: 'world-v2', port: 80 }], timeouts: { request: '3s' } },
      {
        backendRefs: [
          { name: 'world-v1', port: 80, weight: 80 },
          { name: 'world-v2', port: 80, weight: 20 },
        ],
        timeouts: { request: '3s' },
      },
    ]);
    expect(search?.spec.rules).toEqual([{ backendRefs: [{ name: 'world', port: 80 }], timeouts: { request: '3s' } }]);
  });

  it('exports a route changed with `meshdesk route`, one service to a file, with the naming and port asked', async () => {
    expect((await runMeshdesk(['route', 'all-to', 'world', 'v2'], env)).code).toBe(0);
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'meshdesk-export-')), 'world.yaml');
    const result = await runMeshdesk(
      ['export', 'gateway-api', '--service', 'world', '--backend-name', '{version}-{service}', '--port', '8080', '-o', out],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(`meshdesk: 1 HTTPRoute(s) written to ${out} (world)`);
    const [world] = routesOf(readFileSync(out, 'utf8'));
    expect(world?.spec.rules?.at(-1)?.backendRefs).toEqual([{ name: 'v2-world', port: 8080, weight: 1 }]);
    const json = await runMeshdesk(['export', 'gateway-api', '--service', 'search', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ services: ['search'], yaml: expect.stringContaining('kind: HTTPRoute') });
  });

  it('refuses an unknown service and a naming without {version}, in one line each', async () => {
    const unknown = await runMeshdesk(['export', 'gateway-api', '--service', 'nope'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toMatch(/^meshdesk: .*unknown service nope$/);
    const naming = await runMeshdesk(['export', 'gateway-api', '--backend-name', '{service}'], env);
    expect(naming.code).toBe(1);
    expect(naming.stderr).toContain('must contain {version}');
  });
});
