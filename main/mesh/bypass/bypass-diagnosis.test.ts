// The pure parts of bypass detection and the proxy doctor: reading an environment the way the
// runtimes do (shared/proxy-env.ts), the likely reason and fix per runtime, matching a connection
// to an instance, and decoding the kernel's addresses.
// Run: npx vitest run main/mesh/bypass/bypass-diagnosis.test.ts
import { describe, expect, it } from 'vitest';
import { javaProxyOf, noProxyEntryCovering, pointsAtProxy } from '../../../shared/proxy-env.js';
import { parseLsofConnection } from '../os/connection-table.js';
import { decodeProcAddress } from '../os/proc-net.js';
import { diagnoseBypass, runtimeOf } from './bypass-diagnosis.js';
import { instanceAt, type WatchedInstance } from './bypass-watcher.js';

const base = { service: 'world', instance: '127.0.0.1:7002', proxyUrl: 'http://127.0.0.1:4140' };

describe('proxy environment', () => {
  it('finds the NO_PROXY entry covering a service name, in either spelling, as suffixes and *', () => {
    expect(noProxyEntryCovering({ NO_PROXY: 'localhost,127.0.0.1,::1' }, 'world')).toBeNull();
    expect(noProxyEntryCovering({ no_proxy: 'localhost, World' }, 'world')).toBe('World');
    expect(noProxyEntryCovering({ NO_PROXY: '.world' }, 'api.world')).toBe('.world');
    expect(noProxyEntryCovering({ NO_PROXY: 'world:80' }, 'world')).toBe('world:80');
    expect(noProxyEntryCovering({ NO_PROXY: 'otherworld' }, 'world')).toBeNull();
    expect(noProxyEntryCovering({ NO_PROXY: '*' }, 'world')).toBe('*');
  });

  it("compares a proxy setting with the mesh's proxy, loopback names alike", () => {
    expect(pointsAtProxy('http://localhost:4140', 'http://127.0.0.1:4140')).toBe(true);
    expect(pointsAtProxy('127.0.0.1:4140', 'http://127.0.0.1:4140')).toBe(true);
    expect(pointsAtProxy('http://127.0.0.1:4141', 'http://127.0.0.1:4140')).toBe(false);
    expect(pointsAtProxy({ host: '127.0.0.1', port: 4140 }, 'http://127.0.0.1:4140')).toBe(true);
    expect(javaProxyOf('-Xmx1g -Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=4140')).toEqual({ host: '127.0.0.1', port: 4140 });
  });
});

describe('diagnoseBypass', () => {
  it('puts a NO_PROXY entry naming the service first, whatever the runtime', () => {
    const diagnosis = diagnoseBypass({ ...base, command: 'node', argv: ['node'], env: { NO_PROXY: 'world', NODE_USE_ENV_PROXY: '1' } });
    expect(diagnosis.reason).toBe('likely: its NO_PROXY contains world, so calls to http://world/ skip the proxy');
  });

  it('names the runtime-specific cause: Node without NODE_USE_ENV_PROXY, Java without its properties, no http_proxy', () => {
    expect(diagnoseBypass({ ...base, command: 'node', argv: ['node', 'app.js'], env: null }).reason).toContain('NODE_USE_ENV_PROXY=1');
    const java = diagnoseBypass({ ...base, command: 'java', argv: ['java', '-jar', 'app.jar'], env: { JAVA_TOOL_OPTIONS: '-Xmx1g' } });
    expect(java.fix).toBe(
      "start it with JAVA_TOOL_OPTIONS='-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=4140', and call http://world/ rather than http://127.0.0.1:7002/",
    );
    expect(diagnoseBypass({ ...base, command: 'python3', argv: ['python3'], env: {} }).reason).toBe('likely: http_proxy is not set in its environment');
  });

  it('falls back to a direct call of the instance address, honestly worded, for Go and the rest', () => {
    const go = diagnoseBypass({ ...base, command: 'main', argv: ['/tmp/go-build123/b001/exe/main'], env: { http_proxy: 'http://127.0.0.1:4140' } });
    expect(go).toEqual({
      runtime: 'go',
      reason: 'likely: it calls the instance address 127.0.0.1:7002 directly, which no proxy setting sends to the mesh (Go never proxies loopback)',
      fix: "call http://world/ rather than http://127.0.0.1:7002/, the service's name, so the call goes through the proxy",
    });
    expect(runtimeOf('python3.12', [])).toBe('python');
    expect(runtimeOf('MainThread', ['/usr/bin/node', 'x.js'])).toBe('node');
  });
});

describe('matching a connection to an instance', () => {
  const at = (host: string, port = 7002): WatchedInstance => ({ service: 'world', version: 'v1', address: `${host}:${port}`, host, port });

  it('treats loopback addresses as one machine, and needs the exact address elsewhere', () => {
    expect(instanceAt({ remoteAddress: '::ffff:127.0.0.1' }, [at('localhost')])).not.toBeNull();
    expect(instanceAt({ remoteAddress: '::1' }, [at('127.0.0.1')])).not.toBeNull();
    expect(instanceAt({ remoteAddress: '172.17.0.2' }, [at('127.0.0.1')])).toBeNull();
    expect(instanceAt({ remoteAddress: '172.17.0.2' }, [at('172.17.0.2')])).not.toBeNull();
  });

  it('decodes the kernel tables and lsof names', () => {
    expect(decodeProcAddress('0100007F')).toBe('127.0.0.1');
    expect(decodeProcAddress('0000000000000000FFFF00000100007F')).toBe('::ffff:127.0.0.1');
    expect(decodeProcAddress('00000000000000000000000001000000')).toBe('::1');
    expect(parseLsofConnection('[::1]:52110->[::1]:7002')).toEqual({ localPort: 52110, remotePort: 7002, remoteAddress: '::1' });
    expect(parseLsofConnection('*:7002')).toBeNull();
  });
});
