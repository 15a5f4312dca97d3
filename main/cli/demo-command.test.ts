// `meshdesk demo` for real: the demo services as child processes with http_proxy exported, the
// traffic generator calling hello, hello calling world. Checks what a user sees in the stats:
// who called whom, attributed without any header — hello by the operating system (its process owns
// the client socket and listens on hello's port), traffic by the user name in its proxy URL.
import net from 'node:net';
import { fetch, ProxyAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../shared/admin-client.js';
import { readPersistedToken } from '../mesh/index.js';
import { startMeshdesk, tempStateDir, type RunningMeshdesk } from './testing/spawn-meshdesk.js';

let demo: RunningMeshdesk | null = null;
afterEach(async () => {
  demo?.child.kill('SIGTERM');
  await demo?.exited;
});

describe('meshdesk demo', () => {
  it('runs its services on free ports, saying which port was taken and by whom, when one of 7001-7003 is', async () => {
    // Whatever holds 7001 first (maybe a demo already running here) stays; this test's own server
    // holds it otherwise.
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.once('error', () => resolve()).listen(7001, '127.0.0.1', resolve));
    const stateDir = tempStateDir();
    demo = await startMeshdesk(['demo', '--proxy-port', '0', '--admin-port', '0', '--no-traffic'], { MESHDESK_STATE_DIR: stateDir });
    try {
      await expect.poll(() => demo?.output() ?? '', { timeout: 15_000 }).toMatch(/demo ready/);
      expect(demo.output()).toMatch(/meshdesk: port 7001 \(held by [^,]+, pid \d+\) is taken; the demo services run on free ports instead/);
      const hello = await fetch('http://hello/', { dispatcher: new ProxyAgent(demo.proxyUrl) });
      expect(hello.status).toBe(200);
    } finally {
      squatter.close();
    }
  });

  it('attributes hello → world to hello and traffic → hello to traffic, with no header', async () => {
    const stateDir = tempStateDir();
    demo = await startMeshdesk(['demo', '--proxy-port', '0', '--admin-port', '0', '--free-ports', '--rps', '20'], { MESHDESK_STATE_DIR: stateDir });
    const client = new AdminClient(demo.adminUrl, readPersistedToken(stateDir));
    const edges = async () => (await client.call('getStats')).edges.filter((edge) => edge.version === null).map((edge) => `${edge.caller} → ${edge.service}`);
    await expect.poll(edges, { timeout: 15_000 }).toEqual(expect.arrayContaining(['traffic → hello', 'hello → world']));
    const callers = new Set((await client.call('getStats')).edges.map((edge) => edge.caller));
    expect([...callers].sort()).toEqual(['hello', 'traffic']);
    const log = await client.call('queryLog', { service: 'world', limit: 20 });
    expect(log.exchanges.length).toBeGreaterThan(0);
    expect(log.exchanges.every((exchange) => exchange.caller === 'hello' && exchange.version === 'v1' && exchange.status === 200)).toBe(true);
  });
});
