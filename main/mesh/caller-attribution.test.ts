// Caller attribution on a real Mesh, first match wins: the `x-meshdesk-caller` header, then the
// proxy URL's user name (sent as Proxy-Authorization: Basic), then the OS owner of the client
// socket, then `shell`. Real clients (this process's http, curl with `-x`/http_proxy) send through
// the real proxy to a real upstream; the event each request produced names the caller.
// Run with `npx vitest run main/mesh/caller-attribution.test.ts`.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProxiedExchange } from '../../shared/events.js';
import { startChildService } from './os/testing/child-service.js';
import { createTestMesh } from './testing/test-mesh.js';

const exec = promisify(execFile);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const basic = (user: string) => `Basic ${Buffer.from(`${user}:`).toString('base64')}`;

/**
 * A real Mesh with `world` served by a child process, so that this test process listens on no
 * registered port and the OS names it by its command (never `shell`, never `world`).
 */
async function startMesh(): Promise<{ proxyUrl: string; proxyPort: number; caller: (path: string) => Promise<string> }> {
  const world = await startChildService(true);
  cleanups.push(() => world.stop());
  const { mesh } = await createTestMesh({ yaml: `services:\n  world:\n    instances: [127.0.0.1:${world.port}]\n`, cleanups });
  const events: ProxiedExchange[] = [];
  mesh.events.subscribe((event) => events.push(event));
  const addresses = await mesh.start();
  return {
    proxyUrl: addresses.proxyUrl,
    proxyPort: addresses.proxyPort,
    // An event waits for the OS lookup when the request names no caller: poll for it.
    async caller(pathname) {
      await expect.poll(() => events.filter((event) => event.path === pathname).length, { timeout: 5_000 }).toBe(1);
      const event = events.find((candidate) => candidate.path === pathname) as ProxiedExchange;
      expect(event).toMatchObject({ service: 'world', status: 200 });
      return event.caller;
    },
  };
}

/**
 * An absolute-URI proxy request from this process, with the given headers, on one kept-alive
 * connection: the OS is asked about a connection while it is still open, so the control below
 * gets the OS's answer rather than losing a race with the connection's close.
 */
function send(agent: http.Agent, proxyPort: number, pathname: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxyPort, path: `http://world${pathname}`, agent, headers: { host: 'world', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

/** curl through the proxy, with the proxy environment of this machine out of the way. */
async function curl(args: string[], env: Record<string, string> = {}): Promise<string> {
  const clean: NodeJS.ProcessEnv = { ...process.env, no_proxy: '', NO_PROXY: '', http_proxy: '', HTTP_PROXY: '', all_proxy: '', ALL_PROXY: '', ...env };
  return (await exec('curl', ['-sS', ...args], { env: clean })).stdout;
}

describe('caller attribution on a real mesh, first match wins', () => {
  it.runIf(process.platform === 'linux')('prefers the header to the proxy user, and the proxy user to the OS owner of the socket', async () => {
    const mesh = await startMesh();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    const self = readFileSync('/proc/self/comm', 'utf8').trim().toLowerCase();
    // Control: naming nothing, this process is named by the OS, so the rules below beat a real answer.
    expect(await send(agent, mesh.proxyPort, '/os')).toBe('child');
    expect(await mesh.caller('/os')).toBe(self);
    expect(self).not.toBe('shell');

    expect(await send(agent, mesh.proxyPort, '/user', { 'proxy-authorization': basic('Hello') })).toBe('child');
    expect(await mesh.caller('/user')).toBe('hello');

    expect(await send(agent, mesh.proxyPort, '/both', { 'x-meshdesk-caller': 'Billing', 'proxy-authorization': basic('hello') })).toBe('child');
    expect(await mesh.caller('/both')).toBe('billing');
  });

  it('names curl by the header over the proxy URL user, by the proxy URL user over shell, else shell', async () => {
    const mesh = await startMesh();
    const withUser = `http://hello@127.0.0.1:${mesh.proxyPort}`;

    expect(await curl(['-x', withUser, '-H', 'x-meshdesk-caller: billing', 'http://world/both'])).toBe('child');
    expect(await mesh.caller('/both')).toBe('billing');

    expect(await curl(['http://world/env-user'], { http_proxy: withUser })).toBe('child');
    expect(await mesh.caller('/env-user')).toBe('hello');
    expect(await curl(['-x', withUser, 'http://world/flag-user'])).toBe('child');
    expect(await mesh.caller('/flag-user')).toBe('hello');

    // Control: the same curl naming nothing is the developer at the terminal.
    expect(await curl(['-x', mesh.proxyUrl, 'http://world/nothing'])).toBe('child');
    expect(await mesh.caller('/nothing')).toBe('shell');
  });
});
