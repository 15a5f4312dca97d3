/**
 * Pause/resume against a real listening server: pausing closes the port, resuming binds it again,
 * and a resume that loses the port to another program stays paused and says why.
 * Run: npx vitest run main/electron/proxy-switch.test.ts
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- test setup: the stand-in binds as the Mesh does, so a lost port is its PortInUseError
import { listen } from '../mesh/listen.js';
import { pausableProxy, ProxySwitch, type PausableProxy } from './proxy-switch.js';

const HOST = '127.0.0.1';
const servers: net.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) if (server.listening) await new Promise((resolve) => server.close(resolve));
});

/** A stand-in proxy with the pause/resume contract the Mesh is asked to offer. */
async function pausableServer(): Promise<PausableProxy & { port: number }> {
  const server = net.createServer((socket) => socket.on('error', () => undefined).end());
  servers.push(server);
  const port = await listen(server, 'proxy', HOST, 0);
  return {
    port,
    pauseProxy: () => new Promise((resolve) => server.close(() => resolve())),
    resumeProxy: () => listen(server, 'proxy', HOST, port).then(() => undefined),
  };
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, HOST);
    socket.on('connect', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

describe('ProxySwitch', () => {
  it('pauses and resumes a real listener', async () => {
    const proxy = await pausableServer();
    const seen: string[] = [];
    const toggle = new ProxySwitch(proxy, () => seen.push(toggle.status));
    await toggle.toggle();
    expect(toggle.status).toBe('paused');
    expect(await connects(proxy.port)).toBe(false);
    await toggle.toggle();
    expect(toggle.status).toBe('on');
    expect(await connects(proxy.port)).toBe(true);
    expect(seen).toEqual(['switching', 'paused', 'switching', 'on']);
  });

  it('ignores a second click while switching', async () => {
    const proxy = await pausableServer();
    const toggle = new ProxySwitch(proxy);
    await Promise.all([toggle.toggle(), toggle.toggle()]);
    expect(toggle.status).toBe('paused');
    expect(await connects(proxy.port)).toBe(false);
  });

  it('stays paused with the reason when the port was taken meanwhile', async () => {
    const proxy = await pausableServer();
    const toggle = new ProxySwitch(proxy);
    await toggle.toggle();
    const squatter = net.createServer();
    servers.push(squatter);
    await listen(squatter, 'other', HOST, proxy.port);
    await toggle.toggle();
    expect(toggle.status).toBe('paused');
    expect(toggle.problem).toMatch(new RegExp(`^Cannot resume: proxy port ${proxy.port} on ${HOST} is already in use`));
    await new Promise((resolve) => squatter.close(resolve));
    await toggle.toggle();
    expect(toggle.status).toBe('on');
    expect(toggle.problem).toBeNull();
  });

  it('does nothing without a pausable proxy', async () => {
    const toggle = new ProxySwitch(null);
    expect(toggle.canPause).toBe(false);
    await toggle.toggle();
    expect(toggle.status).toBe('on');
  });
});

describe('pausableProxy', () => {
  it('finds pause/resume methods on an object, bound to it', async () => {
    const calls: string[] = [];
    const mesh = {
      name: 'mesh',
      async pauseProxy(this: { name: string }) {
        calls.push(`pause ${this.name}`);
      },
      async resumeProxy(this: { name: string }) {
        calls.push(`resume ${this.name}`);
      },
    };
    const proxy = pausableProxy(mesh);
    await proxy?.pauseProxy();
    await proxy?.resumeProxy();
    expect(calls).toEqual(['pause mesh', 'resume mesh']);
  });

  it('returns null for an object without them', () => {
    expect(pausableProxy({ start() {} })).toBeNull();
    expect(pausableProxy({ pauseProxy: 1, resumeProxy: 2 })).toBeNull();
  });
});
