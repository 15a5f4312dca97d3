// meshdesk.yaml text → config or errors with line and column, and → registry entries with origins.
// Pure functions on real YAML text; run: npx vitest run main/mesh/config/parse-config.test.ts
import { describe, expect, it } from 'vitest';
import { loadConfigText } from './config-file.js';
import { parseConfig } from './parse-config.js';

function errorsOf(text: string) {
  const result = parseConfig(text, 'meshdesk.yaml');
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('parseConfig', () => {
  it('accepts the full model: versions, instance objects, health checks, labels, routes, retries, timeouts', () => {
    const text = [
      'services:', //                                1
      '  world:', //                                 2
      '    healthCheck: { type: http, path: /health, interval: 50ms }',
      '    labels: { team: core }', //                4
      '    versions:', //                             5
      '      v1:', //                                 6
      '        instances: [127.0.0.1:7002]', //       7
      '      v2:', //                                 8
      '        labels: { stage: canary }', //         9
      '        instances:', //                        10
      '          - address: 127.0.0.1:7003', //       11
      '            weight: 2', //                     12
      '            healthCheck: { type: tcp, timeout: 1s, unhealthyThreshold: 1 }',
      '    route:', //                                14
      '      weights: { v1: 90, v2: 10 }', //         15
      '      headers: [{ header: x-version, value: two, version: v2 }]',
      '    retries: { attempts: 2, on: [connect-failure, 503], budgetPercent: 20 }',
      '    timeouts: { request: 5s, connect: 500ms }',
    ].join('\n');
    const result = loadConfigText(text, 'meshdesk.yaml');
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const world = result.loaded.config.services.world;
    expect(world?.timeouts).toEqual({ request: 5_000, connect: 500 });
    expect(world?.healthCheck).toEqual({
      type: 'http',
      path: '/health',
      expectStatus: '2xx',
      interval: 50,
      timeout: 2_000,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
    });
    expect(result.loaded.entries).toEqual([
      {
        service: 'world',
        version: 'v1',
        address: '127.0.0.1:7002',
        origin: 'meshdesk.yaml:7',
        labels: { team: 'core' },
        healthCheck: world?.healthCheck,
      },
      {
        service: 'world',
        version: 'v2',
        address: '127.0.0.1:7003',
        origin: 'meshdesk.yaml:11',
        labels: { team: 'core', stage: 'canary' },
        weight: 2,
        healthCheck: { type: 'tcp', interval: 10_000, timeout: 1_000, healthyThreshold: 2, unhealthyThreshold: 1 },
      },
    ]);
    expect(result.loaded.warnings).toEqual([]);
  });

  it('reports broken YAML with line and column', () => {
    expect(errorsOf('services:\n  world:\n    instances: [127.0.0.1:7002\n')).toMatchObject([{ file: 'meshdesk.yaml', line: 4, severity: 'error' }]);
    const [tab] = errorsOf('services:\n  world:\n\tinstances: []\n');
    expect(tab).toMatchObject({ line: 3, column: 1 });
  });

  it('reports a key given twice where the second one is', () => {
    const [error] = errorsOf('services:\n  world:\n    instances: [127.0.0.1:1]\n  world:\n    instances: [127.0.0.1:2]\n');
    expect(error).toMatchObject({ line: 4, column: 3 });
    expect(error?.message).toMatch(/unique/i);
  });

  it('reports wrong types at the value, naming the path', () => {
    const [error] = errorsOf('services:\n  world:\n    instances: 127.0.0.1:7002\n');
    expect(error).toMatchObject({ line: 3, column: 16 });
    expect(error?.message).toMatch(/^services\.world\.instances: .*expected array/);
    const [port] = errorsOf('services:\n  world:\n    instances: [127.0.0.1:70000]\n');
    expect(port?.message).toBe('services.world.instances.0: port must be between 1 and 65535');
    const [zero] = errorsOf('services:\n  world:\n    instances: ["127.0.0.1:0"]\n');
    expect(zero?.message).toContain('between 1 and 65535');
    const [duration] = errorsOf('services:\n  w:\n    instances: [127.0.0.1:1]\n    healthCheck: { type: tcp, interval: soon }\n');
    expect(duration).toMatchObject({ line: 4, message: expect.stringContaining('must be a duration such as 500ms') });
  });

  it('reports an unknown key where that key is written', () => {
    const [error] = errorsOf('services:\n  world:\n    instances: [127.0.0.1:7002]\n    wieght: 3\n');
    expect(error).toMatchObject({ line: 4, column: 5 });
    expect(error?.message).toContain('(wieght)');
  });

  it('requires DNS-label service names', () => {
    const [error] = errorsOf('services:\n  World_Service:\n    instances: [127.0.0.1:7002]\n');
    expect(error).toMatchObject({ line: 2, column: 3 });
    expect(error?.message).toBe('services.World_Service: the name must be a DNS label: a-z, 0-9 and "-", at most 63 characters');
  });

  it('refuses an instance listed twice in a service, pointing at the second', () => {
    const [error, ...rest] = errorsOf(
      'services:\n  world:\n    versions:\n      v1:\n        instances: [127.0.0.1:7002]\n      v2:\n        instances:\n          - 127.0.0.1:7003\n          - 127.0.0.1:7002\n',
    );
    expect(rest).toEqual([]);
    expect(error).toMatchObject({
      line: 9,
      column: 13,
      message: 'services.world.versions.v2.instances.1: duplicate instance 127.0.0.1:7002 (already listed in version v1)',
    });
  });

  it('refuses a route naming a version the service does not have', () => {
    const errors = errorsOf(
      'services:\n  world:\n    versions:\n      v1: { instances: [127.0.0.1:7002] }\n    route:\n      weights: { v1: 50, v3: 50 }\n      headers: [{ header: x-v, value: "4", version: v4 }]\n',
    );
    expect(errors.map((error) => [error.line, error.message])).toEqual([
      [6, 'services.world.route.weights.v3: route names version "v3", which this service does not have (it has v1)'],
      [7, 'services.world.route.headers.0.version: route names version "v4", which this service does not have (it has v1)'],
    ]);
  });

  it('refuses a shadow naming a version the service does not have, or copying a version to itself', () => {
    const service = 'services:\n  world:\n    versions:\n      v1: { instances: [127.0.0.1:7002] }\n      v2: { instances: [127.0.0.1:7003] }\n';
    expect(errorsOf(`${service}    shadow: { to: v3, percent: 50 }\n`).map((error) => [error.line, error.message])).toEqual([
      [6, 'services.world.shadow.to: shadow names version "v3", which this service does not have (it has v1, v2)'],
    ]);
    expect(errorsOf(`${service}    shadow: { to: v2, from: v2 }\n`).map((error) => error.message)).toEqual([
      'services.world.shadow.from: shadow copies requests to another version: "from" and "to" must differ',
    ]);
    expect(parseConfig(`${service}    shadow: { to: v2, from: v1, percent: 10, methods: [POST], ignoreHeaders: [x-build] }\n`, 'meshdesk.yaml').ok).toBe(true);
  });

  it('reads the telemetry section, and points at each bad setting by line and column', () => {
    const good = parseConfig(
      'telemetry:\n  logCapacity: 5\n  bodyCaptureBytes: 0\n  maskedHeaders: [X-Api-Key]\n  failureStatuses: ["404", 5xx]\n  grpcFailureCodes: [unavailable, 13]\n',
      'meshdesk.yaml',
    );
    if (!good.ok) throw new Error(JSON.stringify(good.errors));
    expect(good.config.telemetry).toEqual({
      logCapacity: 5,
      bodyCaptureBytes: 0,
      maskedHeaders: ['X-Api-Key'],
      failureStatuses: ['404', '5xx'],
      grpcFailureCodes: ['unavailable', 13],
    });
    const errors = errorsOf(
      [
        'telemetry:', //                                  1
        '  logCapacity: 0', //                            2
        '  bodyCaptureBytes: 64KiB', //                   3
        '  maskedHeaders: [authorization, "x api key"]', // 4
        '  failureStatuses: [5xx, 600]', //               5
        '  maskHeaders: []', //                           6
        '  grpcFailureCodes: [UNAVAILABLE, NOPE, 17]', // 7
      ].join('\n'),
    );
    expect(errors.map((error) => `${error.file}:${error.line}:${error.column} ${error.message}`)).toEqual([
      'meshdesk.yaml:2:16 telemetry.logCapacity: must be at least 1 exchange',
      'meshdesk.yaml:3:21 telemetry.bodyCaptureBytes: must be a number of bytes, such as 65536',
      'meshdesk.yaml:4:34 telemetry.maskedHeaders.1: must be an HTTP header name',
      'meshdesk.yaml:5:26 telemetry.failureStatuses.1: must be a status code from 100 to 599, such as 429, or a class such as 5xx',
      'meshdesk.yaml:7:35 telemetry.grpcFailureCodes.1: must be a gRPC status: a name such as UNAVAILABLE, or its number from 0 to 16',
      'meshdesk.yaml:7:41 telemetry.grpcFailureCodes.2: must be a gRPC status: a name such as UNAVAILABLE, or its number from 0 to 16',
      'meshdesk.yaml:6:3 telemetry: Unrecognized key: "maskHeaders" (maskHeaders)',
    ]);
  });

  it('needs either instances or versions', () => {
    expect(errorsOf('services:\n  world: {}\n')[0]?.message).toContain('give either "instances" or "versions"');
  });

  it('warns about, but accepts, an instance that is not on this machine', () => {
    const result = loadConfigText('services:\n  db:\n    instances: [127.0.0.1:5432, 10.1.2.3:5432]\n', 'meshdesk.yaml');
    if (!result.ok) throw new Error('expected ok');
    expect(result.loaded.entries.map((entry) => entry.address)).toEqual(['127.0.0.1:5432', '10.1.2.3:5432']);
    expect(result.loaded.warnings).toEqual([
      { file: 'meshdesk.yaml', line: 3, column: 33, severity: 'warning', message: expect.stringContaining('10.1.2.3:5432 is not on this machine') },
    ]);
  });

  it('treats an empty file as no services', () => {
    const result = loadConfigText('', 'meshdesk.yaml');
    expect(result.ok && result.loaded.entries).toEqual([]);
  });
});
