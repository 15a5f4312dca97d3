/**
 * The port-conflict flow against a real Mesh and a real program holding the port (a listener this
 * test opens). Only the dialog is injected: it records the prompt and answers like a user would.
 * Run: npx vitest run main/electron/port-conflict.test.ts
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Mesh, PortInUseError } from '../mesh/index.js';
import { freePortNear } from './free-port.js';
import { conflictPrompt, startResolvingConflicts, type ConflictPrompt, type Ports } from './port-conflict.js';

const HOST = '127.0.0.1';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function occupyPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  let open = true;
  const release = async () => {
    if (!open) return;
    open = false;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  cleanups.push(release);
  return { port: (server.address() as net.AddressInfo).port, release };
}

async function startMesh(ports: Ports): Promise<{ mesh: Mesh; proxyPort: number; adminPort: number }> {
  const rendererRoot = mkdtempSync(path.join(tmpdir(), 'meshdesk-renderer-'));
  const mesh = await Mesh.create({ proxyHost: HOST, adminHost: HOST, ...ports, configFile: null, rendererRoot });
  return mesh.start().then(
    (addresses) => {
      cleanups.push(async () => {
        await mesh.stop(0);
        rmSync(rendererRoot, { recursive: true, force: true });
      });
      return { mesh, proxyPort: addresses.proxyPort, adminPort: addresses.adminPort };
    },
    (error: unknown) => {
      rmSync(rendererRoot, { recursive: true, force: true });
      throw error;
    },
  );
}

/** A plain HTTP origin, reached through the proxy in passthrough mode to prove the proxy answers. */
async function originServer(): Promise<number> {
  const server = http.createServer((_req, res) => res.end('hello from origin'));
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

function getThroughProxy(proxyPort: number, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: HOST, port: proxyPort, path: url, headers: { host: new URL(url).host }, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('conflictPrompt', () => {
  it('names the holder and offers the free port, retry and quit', () => {
    const prompt = conflictPrompt(new PortInUseError('proxy', HOST, 4140, { pid: 4242, command: 'nc' }), 4141);
    expect(prompt.message).toBe('The proxy port 4140 is in use by nc (pid 4242).');
    expect(prompt.detail).toContain('http_proxy must then point to http://127.0.0.1:4141');
    expect(prompt.buttons).toEqual(['Use port 4141', 'Try again', 'Quit Meshdesk']);
    expect(prompt.cancelId).toBe(2);
  });

  it('says "another program" when the holder cannot be seen, and offers no port when none is free', () => {
    const prompt = conflictPrompt(new PortInUseError('admin', '::1', 9990, null), null);
    expect(prompt.message).toBe('The dashboard and admin API port 9990 is in use by another program.');
    expect(prompt.detail).toContain('[::1]:9990');
    expect(prompt.buttons).toEqual(['Try again', 'Quit Meshdesk']);
    expect(prompt.cancelId).toBe(1);
  });
});

describe('startResolvingConflicts with a real mesh', () => {
  it('starts on the offered port when the user takes it, and that proxy answers', async () => {
    const taken = await occupyPort();
    const origin = await originServer();
    const prompts: ConflictPrompt[] = [];
    const result = await startResolvingConflicts(
      { proxyPort: taken.port, adminPort: 0 },
      { start: startMesh, freePortNear, ask: async (prompt) => (prompts.push(prompt), 0) },
    );
    expect(prompts).toHaveLength(1);
    expect(prompts[0]?.message).toMatch(new RegExp(`^The proxy port ${taken.port} is in use by .+ \\(pid ${process.pid}\\)\\.$`));
    const offered = (prompts[0]?.answers[0] as { port: number }).port;
    expect(offered).not.toBe(taken.port);
    expect(result?.ports).toEqual({ proxyPort: offered, adminPort: 0 });
    expect(result?.started.proxyPort).toBe(offered);
    expect(await getThroughProxy(offered, `http://${HOST}:${origin}/`)).toBe('hello from origin');
  });

  it('starts on the same port when the user frees it and tries again', async () => {
    const taken = await occupyPort();
    const answers: string[] = [];
    const result = await startResolvingConflicts(
      { proxyPort: 0, adminPort: taken.port },
      {
        start: startMesh,
        freePortNear,
        ask: async (prompt) => {
          answers.push(prompt.message);
          await taken.release();
          return prompt.answers.findIndex((answer) => answer.kind === 'retry');
        },
      },
    );
    expect(answers).toEqual([expect.stringContaining(`dashboard and admin API port ${taken.port} is in use`)]);
    expect(result?.started.adminPort).toBe(taken.port);
  });

  it('gives up without leaving anything listening when the user quits', async () => {
    const taken = await occupyPort();
    const proxyPort = (await freePortNear(HOST, taken.port)) ?? 0;
    const result = await startResolvingConflicts(
      { proxyPort, adminPort: taken.port },
      { start: startMesh, freePortNear, ask: async (prompt) => prompt.cancelId },
    );
    expect(result).toBeNull();
    // The proxy had bound before the admin port failed; the mesh must have let it go again.
    await expect(new Promise((resolve, reject) => net.connect(proxyPort, HOST).on('connect', resolve).on('error', reject))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('passes other start failures through instead of prompting', async () => {
    const ask = async () => 0;
    await expect(
      startResolvingConflicts({ proxyPort: 0, adminPort: 0 }, { start: () => Promise.reject(new Error('boom')), freePortNear, ask }),
    ).rejects.toThrow('boom');
  });
});
