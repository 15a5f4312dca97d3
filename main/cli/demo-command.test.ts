// `meshdesk demo` for real: the demo services as child processes with http_proxy exported, the
// traffic generator calling hello, hello calling world. Checks what a user sees in the stats:
// who called whom, attributed without any header — hello by the operating system (its process owns
// the client socket and listens on hello's port), traffic by the user name in its proxy URL.
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
