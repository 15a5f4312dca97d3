/** The meshdesk.yaml `meshdesk init` writes: names guessed from processes, and a file the schema accepts. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { meshConfigSchema } from '../../shared/config-schema.js';
import { instancesOfListeners, renderInitConfig, serviceNameOf } from './init-config.js';

const root = '/home/dev/shop';
const listener = (argv: string[], cwd = root, ports = [7001], pid = 100) => ({ pid, argv, cwd, ports });

describe('serviceNameOf', () => {
  it('names a process by its subfolder, its script, its module, or its folder when the script is generic', () => {
    expect(serviceNameOf(listener(['python3', 'app.py'], `${root}/Billing_API`), root)).toBe('billing-api');
    expect(serviceNameOf(listener(['/usr/bin/python3', 'world.py', '--port', '7002']), root)).toBe('world');
    expect(serviceNameOf(listener(['node', '--enable-source-maps', 'services/hello/index.js']), root)).toBe('hello');
    expect(serviceNameOf(listener(['python3', '-m', 'uvicorn.main']), root)).toBe('main');
    expect(serviceNameOf(listener(['/opt/bin/catalog-server']), root)).toBe('catalog-server');
  });
});

describe('instancesOfListeners', () => {
  it('lists forked workers sharing a port once, and names colliding services apart', () => {
    const found = instancesOfListeners(
      [
        listener(['python3', 'world.py'], root, [7002], 1),
        listener(['python3', 'world.py'], root, [7002], 2),
        listener(['node', 'world.js'], root, [7003, 9229], 3),
      ],
      root,
      new Set(),
    );
    expect(found).toEqual([
      { service: 'world', version: 'default', address: '127.0.0.1:7002', origin: 'pid 1: python3 world.py' },
      { service: 'world-2', version: 'default', address: '127.0.0.1:7003', origin: 'pid 3: node world.js (also listens on 9229)' },
    ]);
  });
});

describe('renderInitConfig', () => {
  it('writes a commented file with the $schema line that the config schema accepts', () => {
    const text = renderInitConfig({
      schemaPath: '/opt/meshdesk/resources/meshdesk.schema.json',
      discoFiles: ['search'],
      instances: [
        { service: 'hello', version: 'default', address: '127.0.0.1:7001', origin: 'pid 1: node hello.js' },
        { service: 'world', version: 'v1', address: '127.0.0.1:7002', origin: 'docker-compose.yml:4' },
        { service: 'world', version: 'v2', address: '127.0.0.1:7003', origin: 'docker-compose.yml:9' },
      ],
    });
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=/opt/meshdesk/resources/meshdesk.schema.json');
    expect(text).toContain('# disco/ is read too, as it is (search)');
    expect(text).toContain('    # 127.0.0.1:7001 from pid 1: node hello.js\n    instances: [127.0.0.1:7001]');
    const config = meshConfigSchema.parse(parse(text));
    expect(Object.keys(config.services)).toEqual(['hello', 'world']);
    expect(Object.keys(config.services.world?.versions ?? {})).toEqual(['v1', 'v2']);
  });

  it('with nothing found, writes an empty but valid file with an example in comments', () => {
    const text = renderInitConfig({ schemaPath: 's.json', discoFiles: [], instances: [], processScanUnavailable: 'Linux only' });
    expect(text).toContain('# Running processes were not looked at: Linux only.');
    expect(text).toContain('#   hello:');
    expect(meshConfigSchema.parse(parse(text)).services).toEqual({});
  });
});
