// The watcher's bookkeeping with the OS replaced by fakes: a connection is looked up once, the
// mesh's own process and another meshdesk are never reported, and a bypass is listed until keepMs
// after its last connection. Run: npx vitest run main/mesh/bypass/bypass-watcher-rules.test.ts
import { describe, expect, it } from 'vitest';
import type { OutboundConnection } from '../os/connection-table.js';
import type { ProcessInfo } from '../os/process-info.js';
import type { SocketOwner } from '../os/socket-owner.js';
import { BypassWatcher } from './bypass-watcher.js';

const world = { service: 'world', version: 'v1', address: '127.0.0.1:7002', host: '127.0.0.1', port: 7002 };

function fakeOs(owners: Record<number, SocketOwner>, argv: Record<number, string[]>) {
  const state = { connections: [] as OutboundConnection[], lookups: 0, now: 1_000 };
  const watcher = new BypassWatcher({
    instances: () => [world],
    proxyUrl: () => 'http://127.0.0.1:4140',
    selfPid: 1,
    keepMs: 60_000,
    listConnections: () => Promise.resolve(state.connections),
    owners: {
      find: (localPort) => {
        state.lookups++;
        return Promise.resolve(owners[localPort] ?? null);
      },
    },
    processInfo: (pid): Promise<ProcessInfo> => Promise.resolve({ argv: argv[pid] ?? [], env: {} }),
    now: () => state.now,
  });
  const open = (...localPorts: number[]) =>
    (state.connections = localPorts.map((localPort) => ({ key: `k${localPort}`, localPort, remotePort: 7002, remoteAddress: '127.0.0.1' })));
  return { watcher, state, open };
}

describe('BypassWatcher bookkeeping', () => {
  it('looks a connection up once, and never reports the mesh itself or another meshdesk', async () => {
    const os = fakeOs(
      {
        50001: { pid: 1, command: 'node', listeningPorts: [4140] },
        50002: { pid: 2, command: 'node', listeningPorts: [] },
        50003: { pid: 3, command: 'node', listeningPorts: [] },
      },
      { 2: ['/usr/bin/node', '--max-semi-space-size=2', '/opt/meshdesk/bin/meshdesk.js', 'serve'], 3: ['node', 'client.js'] },
    );
    os.open(50001, 50002, 50003);
    await os.watcher.poll();
    await os.watcher.poll();

    expect(os.state.lookups).toBe(3);
    expect(os.watcher.list().map((bypass) => [bypass.caller, bypass.runtime, bypass.open])).toEqual([['node pid 3', 'node', 1]]);
  });

  it('keeps a bypass listed for keepMs after its last connection closed, then drops it and says so', async () => {
    const os = fakeOs({ 50003: { pid: 3, command: 'python3', listeningPorts: [] } }, { 3: ['python3', 'app.py'] });
    const told: number[] = [];
    os.watcher.onChange((bypasses) => told.push(bypasses.length));
    os.open(50003);
    await os.watcher.poll();
    os.open();
    os.state.now += 30_000;
    await os.watcher.poll();
    expect(os.watcher.list().map((bypass) => [bypass.open, bypass.connections, bypass.lastSeen])).toEqual([[0, 1, 1_000]]);
    os.state.now += 31_000;
    await os.watcher.poll();

    expect(os.watcher.list()).toEqual([]);
    expect(told).toEqual([1, 1, 0]);
  });
});
