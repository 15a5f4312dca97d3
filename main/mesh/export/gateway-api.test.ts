// "Export for Kubernetes": the routes in force as Gateway API HTTPRoutes, checked with the Gateway
// API's published models (@kubernetes-models/gateway-api: the JSON schema of its Go types), never
// with a schema of our own. The first tests run a real Mesh from a meshdesk.yaml through the admin
// API; the last ones call the translation directly for what a config file cannot express.
// Run: npx vitest run main/mesh/export/gateway-api.test.ts
import { HTTPRoute, type IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { AdminClient } from '../../../shared/admin-client.js';
import { backendNameSchema, backendServiceName } from '../../../shared/gateway-export.js';
import { startTestMesh } from '../testing/test-mesh.js';
import { gatewayDuration, httpRoutes, type ExportedService } from './gateway-api.js';
import { httpRoutesYaml } from './gateway-api-yaml.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// Every route kind: weights, header rules (two folded into one rule, header names in any case), an
// alias, the default version, timeouts and retries. No traffic is sent: the instances need not run.
const EVERY_ROUTE_KIND = `
services:
  world:
    versions:
      v1: { instances: [127.0.0.1:7002] }
      v2: { instances: [127.0.0.1:7003] }
      canary: { instances: [127.0.0.1:7004] }
    route:
      weights: { v1: 90, v2: 10 }
      headers:
        - { header: x-canary, value: "1", version: canary }
        - { header: X-Beta, value: "yes", version: canary }
        - { header: x-tester, value: ana, version: v2 }
    timeouts: { request: 2500ms }
    retries: { attempts: 3, on: [connect-failure, gateway-error, 429], budgetPercent: 10 }
  search:
    instances: [127.0.0.1:7005]
    route: { alias: search-next }
  search-next:
    versions:
      v3: { instances: [127.0.0.1:7006] }
    timeouts: { request: 1.5m }
  hello:
    instances: [127.0.0.1:7001]
`;

async function meshClient(yaml: string): Promise<AdminClient> {
  const { addresses } = await startTestMesh({ yaml, adminToken: 'secret', cleanups });
  return new AdminClient(addresses.adminUrl, 'secret');
}

/** Each YAML document, validated by the published HTTPRoute model (it throws on the first misfit). */
function validatedRoutes(text: string): IHTTPRoute[] {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) throw new Error('not a YAML stream');
  return documents.map((document) => {
    expect(document.errors).toEqual([]);
    const route = new HTTPRoute(document.toJS() as IHTTPRoute);
    route.validate();
    expect(route.toJSON()).toMatchObject({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' });
    // Gateway API's CEL rules are not in the models' schema; the one a Service backend needs is a port.
    for (const rule of route.spec.rules ?? []) for (const backend of rule.backendRefs ?? []) expect(backend.port).toBeGreaterThan(0);
    return route.toJSON() as IHTTPRoute;
  });
}

const service = (name: string, port = 80) => ({ group: '', kind: 'Service', name, port });

describe('export of the routes in force to Gateway API HTTPRoutes', () => {
  it('the exported YAML of a meshdesk.yaml with every route kind validates and maps each weight, match and alias', async () => {
    const client = await meshClient(EVERY_ROUTE_KIND);
    const exported = await client.call('exportGatewayApi', { namespace: 'dev' });
    expect(exported.services).toEqual(['world', 'search', 'search-next', 'hello']);
    const routes = validatedRoutes(exported.yaml);
    expect(routes.map((route) => route.metadata)).toEqual(exported.services.map((name) => ({ name, namespace: 'dev' })));
    const [world, search, next, hello] = routes;
    const worldPolicy = { timeouts: { request: '2s500ms' }, retry: { attempts: 3, codes: [429, 502, 503, 504] } };
    expect(world?.spec).toEqual({
      parentRefs: [service('world')],
      rules: [
        {
          matches: [{ headers: [{ name: 'x-canary', value: '1' }] }, { headers: [{ name: 'x-beta', value: 'yes' }] }],
          backendRefs: [{ name: 'world-canary', port: 80 }],
          ...worldPolicy,
        },
        { matches: [{ headers: [{ name: 'x-tester', value: 'ana' }] }], backendRefs: [{ name: 'world-v2', port: 80 }], ...worldPolicy },
        {
          backendRefs: [
            { name: 'world-v1', port: 80, weight: 90 },
            { name: 'world-v2', port: 80, weight: 10 },
          ],
          ...worldPolicy,
        },
      ],
    });
    // The alias goes to the other service's Service, with the timeout the mesh applies to it: the target's.
    expect(search?.spec).toEqual({
      parentRefs: [service('search')],
      rules: [{ backendRefs: [{ name: 'search-next', port: 80 }], timeouts: { request: '1m30s' } }],
    });
    expect(next?.spec).toEqual({
      parentRefs: [service('search-next')],
      rules: [{ backendRefs: [{ name: 'search-next-v3', port: 80 }], timeouts: { request: '1m30s' } }],
    });
    // A service declared with `instances:` has one version, "default": its own Service.
    expect(hello?.spec).toEqual({ parentRefs: [service('hello')], rules: [{ backendRefs: [{ name: 'hello', port: 80 }] }] });
    // What has no field, and what is experimental, is said in comments where it applies.
    expect(exported.yaml).toMatch(/^# Kubernetes Gateway API HTTPRoutes/);
    expect(exported.yaml).toContain('# world: retries.budgetPercent 10%: no HTTPRoute field');
    expect(exported.yaml).toContain('# search: an alias of search-next');
    expect(exported.yaml.match(/# retry: experimental in Gateway API v1\.5/g)).toHaveLength(3);
    expect(exported.yaml).toContain('codes: [429, 502, 503, 504]');
  });

  it('follows runtime reroutes, exports one service on request, with another naming and port, and refuses an unknown one', async () => {
    const client = await meshClient(EVERY_ROUTE_KIND);
    await client.call('reroute', { service: 'world', weights: { v1: 1, v2: 3 }, origin: 'gui' });
    const exported = await client.call('exportGatewayApi', { service: 'world', backendName: 'svc-{version}-of-{service}', port: 8080 });
    expect(exported.services).toEqual(['world']);
    const [world] = validatedRoutes(exported.yaml);
    expect(world?.metadata).toEqual({ name: 'world' });
    expect(world?.spec.parentRefs).toEqual([service('world', 8080)]);
    expect(world?.spec.rules?.map((rule) => rule.backendRefs)).toEqual([
      [{ name: 'svc-canary-of-world', port: 8080 }],
      [{ name: 'svc-v2-of-world', port: 8080 }],
      [
        { name: 'svc-v1-of-world', port: 8080, weight: 1 },
        { name: 'svc-v2-of-world', port: 8080, weight: 3 },
      ],
    ]);
    await client.call('reroute', { service: 'world', version: 'canary', origin: 'cli' });
    const allToCanary = validatedRoutes((await client.call('exportGatewayApi', { service: 'world' })).yaml);
    expect(allToCanary[0]?.spec.rules?.at(-1)?.backendRefs).toEqual([{ name: 'world-canary', port: 80, weight: 1 }]);
    await expect(client.call('exportGatewayApi', { service: 'nope' })).rejects.toThrow('unknown service nope');
    await expect(client.call('exportGatewayApi', { backendName: '{service}' })).rejects.toThrow('must contain {version}');
    await expect(client.call('exportGatewayApi', { namespace: 'Not_A_Namespace' })).rejects.toThrow('must be a Kubernetes namespace');
  });

  it('writes a header and no document when no service is registered', async () => {
    const client = await meshClient('services: {}\n');
    const exported = await client.call('exportGatewayApi', {});
    expect(exported.services).toEqual([]);
    expect(validatedRoutes(exported.yaml)).toEqual([]);
    expect(exported.yaml).toContain('No services are registered');
  });
});

describe('the translation, for routes a config file cannot write', () => {
  const options = { backendName: '{service}-{version}', port: 80, resilienceOf: () => ({}) };
  const yamlOf = (services: ExportedService[], resilience = options.resilienceOf) =>
    httpRoutesYaml(httpRoutes(services, { ...options, resilienceOf: resilience }), { meshdeskVersion: 'test', backendName: options.backendName, port: 80 });

  it('matches a header rule without a value by any value, keeps fractional weights in proportion, skips rules of unknown versions', () => {
    const [route] = validatedRoutes(
      yamlOf([
        {
          name: 'world',
          versions: ['v1', 'v2'],
          route: {
            weights: { v1: 0.5, v2: 1.5, v9: 4 },
            headerRules: [
              { header: 'x-debug', version: 'v2' },
              { header: 'x-old', value: '1', version: 'v9' },
            ],
          },
        },
      ]),
    );
    expect(route?.spec.rules).toEqual([
      { matches: [{ headers: [{ type: 'RegularExpression', name: 'x-debug', value: '.*' }] }], backendRefs: [{ name: 'world-v2', port: 80 }] },
      {
        backendRefs: [
          { name: 'world-v1', port: 80, weight: 2500 },
          { name: 'world-v2', port: 80, weight: 7500 },
        ],
      },
    ]);
  });

  it('leaves out a local mock version with a note, its share going to the versions a cluster has', () => {
    const text = yamlOf([{ name: 'world', versions: ['v1', 'v2'], local: ['recorded'], route: { weights: { v1: 1, recorded: 3, v2: 1 }, headerRules: [] } }]);
    const [route] = validatedRoutes(text);
    expect(route?.spec.rules).toEqual([
      {
        backendRefs: [
          { name: 'world-v1', port: 80, weight: 1 },
          { name: 'world-v2', port: 80, weight: 1 },
        ],
      },
    ]);
    expect(text).toContain('world@recorded is a local mock of recorded traffic');
    expect(text).not.toContain('world-recorded');
  });

  it('writes retries on 5xx as the codes HTTP defines, says what it left out, and uses the defaults of a bare retries:', () => {
    const services = [{ name: 'world', versions: ['v1'], route: null }];
    const text = yamlOf(services, () => ({ retries: { on: ['5xx', 200] } }));
    const [route] = validatedRoutes(text);
    expect(route?.spec.rules?.[0]?.retry).toEqual({ attempts: 2, codes: [500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511] });
    expect(text).toContain('retries on 200 left out');
    expect(text).toContain('retries without connect-failure');
    const [bare] = validatedRoutes(yamlOf(services, () => ({ retries: {} })));
    expect(bare?.spec.rules?.[0]?.retry).toEqual({ attempts: 2, codes: [502, 503, 504] });
  });

  it("writes durations in Gateway API's format", () => {
    expect([1, 999, 1_000, 2_500, 90_000, 3_600_000, 5_430_250].map(gatewayDuration)).toEqual([
      '1ms',
      '999ms',
      '1s',
      '2s500ms',
      '1m30s',
      '1h',
      '1h30m30s250ms',
    ]);
    for (const ms of [1, 2_500, 5_430_250, 360_000_000]) expect(gatewayDuration(ms)).toMatch(/^([0-9]{1,5}(h|m|s|ms)){1,4}$/);
  });

  it('names version Services as Kubernetes names them: DNS labels', () => {
    expect(backendServiceName('world', 'v2')).toBe('world-v2');
    expect(backendServiceName('world', 'default')).toBe('world');
    expect(backendServiceName('world', 'V1.2_beta')).toBe('world-v1-2-beta');
    expect(backendServiceName('world', 'v2', '{version}-{service}')).toBe('v2-world');
    expect(backendServiceName('a'.repeat(60), 'v10')).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
    expect(backendNameSchema.safeParse('{service}-{version}').success).toBe(true);
    expect(backendNameSchema.safeParse('{service}').success).toBe(false);
    expect(backendNameSchema.safeParse('{service}_{version}').success).toBe(false);
  });
});
