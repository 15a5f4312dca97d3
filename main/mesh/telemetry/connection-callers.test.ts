// Caller attribution from the OS with real processes and real clients: a real HTTP server of this
// test plays the proxy and answers each request with the caller it attributed to the connection.
// A child Node process listening on a port registered as `hello` must be `hello`; a curl must be
// `shell`; an unregistered child Node process is `node`; this test process is its own command name.
// Run with `npx vitest run main/mesh/telemetry/connection-callers.test.ts`.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { SocketOwners } from '../os/socket-owner.js';
import { Registry } from '../registry/registry.js';
import { startChildService } from '../os/testing/child-service.js';
import { ConnectionCallers, servicePortsOf, type ServicePorts } from './connection-callers.js';

const exec = promisify(execFile);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Counts the lookups it is asked for: attribution must ask once per connection. */
class CountingOwners extends SocketOwners {
  lookups = 0;
  override find(clientPort: number, serverPort: number) {
    this.lookups++;
    return super.find(clientPort, serverPort);
  }
}

async function fakeProxy(callers: ConnectionCallers, ports: ServicePorts): Promise<string> {
  const server = http.createServer(async (req, res) => {
    const attribution = callers.attributeConnection(req.socket, ports);
    res.end(`${(await attribution.settled) ?? 'unknown'}`);
  });
  server.on('connection', (socket: Socket) => callers.attributeConnection(socket, ports));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
}

async function child(listen: boolean) {
  const started = await startChildService(listen);
  cleanups.push(() => started.stop());
  return started;
}

describe('ConnectionCallers', () => {
  it('attributes a registered service by the port its process listens on, curl to shell, other processes by name', async () => {
    const hello = await child(true);
    const unregistered = await child(false);
    const owners = new CountingOwners();
    const url = await fakeProxy(new ConnectionCallers({ owners }), () => new Map([[hello.port as number, 'hello']]));

    expect(await hello.send(`get ${url}`)).toEqual({ status: 200, body: 'hello' });
    expect(await unregistered.send(`get ${url}`)).toEqual({ status: 200, body: 'node' });
    expect((await exec('curl', ['-sS', '--noproxy', '*', url])).stdout).toBe('shell');
    const self = readFileSync('/proc/self/comm', 'utf8').trim();
    const agent = new http.Agent({ keepAlive: true });
    cleanups.push(() => agent.destroy());
    const fromHere = () =>
      new Promise<string>((resolve, reject) => http.get(url, { agent }, (res) => res.setEncoding('utf8').on('data', resolve)).on('error', reject));
    expect(await fromHere()).toBe(self);
    // Same keep-alive connection: the lookup is not repeated.
    const before = owners.lookups;
    expect(await fromHere()).toBe(self);
    expect(owners.lookups).toBe(before);
    expect(before).toBe(4);
  });

  it('reads the service ports from the registry when the lookup settles', async () => {
    const hello = await child(true);
    const registry = new Registry();
    const url = await fakeProxy(new ConnectionCallers(), servicePortsOf(registry));
    // Registered after the connection's process started: what counts is the registry at lookup time.
    registry.replaceSource('test', [
      { service: 'other', version: 'v1', address: '127.0.0.1:1', origin: 'test' },
      { service: 'hello', version: 'v1', address: `127.0.0.1:${hello.port}`, origin: 'test' },
    ]);
    expect(await hello.send(`get ${url}`)).toEqual({ status: 200, body: 'hello' });
  });

  it('does not look up a peer that is not on loopback, and is not pending then', async () => {
    const owners = new CountingOwners();
    const callers = new ConnectionCallers({ owners });
    const remote = { remoteAddress: '192.0.2.7', remotePort: 50000, localPort: 4140 } as Socket;
    const attribution = callers.attributeConnection(remote, () => new Map());
    expect(attribution.pending).toBe(false);
    expect(await attribution.settled).toBeNull();
    expect(owners.lookups).toBe(0);
  });

  it('names an owner by its registered port first, then its command, with shells and tools as shell', () => {
    const callers = new ConnectionCallers({ owners: new SocketOwners({ backend: 'none' }) });
    const ports = new Map([[7001, 'hello']]);
    expect(callers.callerOf({ pid: 1, command: 'node', listeningPorts: [9229, 7001] }, ports)).toBe('hello');
    expect(callers.callerOf({ pid: 1, command: 'Python3', listeningPorts: [8000] }, ports)).toBe('python3');
    expect(callers.callerOf({ pid: 1, command: 'wget', listeningPorts: [] }, ports)).toBe('shell');
    expect(callers.callerOf({ pid: 1, command: 'zsh', listeningPorts: [] }, ports)).toBe('shell');
  });
});
