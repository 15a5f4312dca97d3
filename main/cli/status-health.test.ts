/**
 * `meshdesk status` shows each instance's health from its check and from traffic, apart: before
 * any traffic an instance without a check is `no check` and `unknown: no traffic yet`; after curl's
 * requests through the proxy, the one answering is `healthy` and the one on a port nothing listens
 * on is `failing: connection refused`; a checked instance shows its check's verdict beside it.
 * Real `meshdesk serve` (needs `npm run build`), real upstreams, real curl.
 * Run: npx vitest run main/cli/status-health.test.ts
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { answering, listenUpstream } from '../mesh/testing/http-upstream.js';
import { runMeshdesk, serveWithYaml } from './testing/spawn-meshdesk.js';

const exec = promisify(execFile);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The status table's row for `instance` (`world@default`), its cells split on runs of spaces. */
function rowOf(stdout: string, instance: string): string[] {
  const line = stdout.split('\n').find((entry) => entry.startsWith(`${instance} `));
  if (line === undefined) throw new Error(`no row for ${instance} in:\n${stdout}`);
  return line.split(/\s{2,}/);
}

describe('meshdesk status and health from traffic', () => {
  it('shows the check and the traffic apart, per instance, in text and JSON', { timeout: 30_000 }, async () => {
    const world = await listenUpstream(answering('world'), cleanups);
    const checked = await listenUpstream(answering('ok'), cleanups);
    const gone = await closedPort();
    const { mesh, env } = await serveWithYaml(
      [
        'services:',
        `  world: { instances: [127.0.0.1:${world}] }`,
        `  gone: { instances: [127.0.0.1:${gone}], retries: { attempts: 0 } }`,
        '  checked:',
        `    instances: [127.0.0.1:${checked}]`,
        '    healthCheck: { type: http, path: /health, interval: 1s }',
        '',
      ].join('\n'),
      cleanups,
    );

    const before = await runMeshdesk(['status'], env);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^INSTANCE\s+ADDRESS\s+CHECK\s+TRAFFIC$/m);
    expect(rowOf(before.stdout, 'world@default')).toEqual(['world@default', `127.0.0.1:${world}`, 'no check', 'unknown: no traffic yet']);

    for (const host of ['world', 'gone', 'checked']) await exec('curl', ['-sS', '-o', '/dev/null', '-x', mesh.proxyUrl, `http://${host}/`]);
    await expect.poll(async () => rowOf((await runMeshdesk(['status'], env)).stdout, 'checked@default')[2], { timeout: 5_000 }).toMatch(/^healthy/);

    const after = await runMeshdesk(['status'], env);
    expect(rowOf(after.stdout, 'world@default')).toEqual(['world@default', `127.0.0.1:${world}`, 'no check', 'healthy']);
    expect(rowOf(after.stdout, 'gone@default')).toEqual(['gone@default', `127.0.0.1:${gone}`, 'no check', 'failing: connection refused']);
    expect(rowOf(after.stdout, 'checked@default').slice(2)).toEqual([expect.stringMatching(/^healthy: HTTP 200/), 'healthy']);

    const json = JSON.parse((await runMeshdesk(['status', '--json'], env)).stdout) as { instances: unknown[] };
    expect(json.instances).toContainEqual({
      service: 'gone',
      version: 'default',
      address: `127.0.0.1:${gone}`,
      health: 'unknown',
      healthReason: null,
      healthCheck: null,
      traffic: { state: 'failing', reason: 'connection refused', lastSeen: expect.any(Number) },
    });
  });
});
