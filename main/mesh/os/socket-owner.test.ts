// Socket owners against real processes: a child Node process connects to a real server of this
// test; both backends (/proc and lsof, which Linux has too) must name that child, its command and
// the port it listens on. Run with `npx vitest run main/mesh/os/socket-owner.test.ts`.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SocketOwners, type SocketOwnerBackend } from './socket-owner.js';
import { startChildService } from './testing/child-service.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface TestServer {
  port: number;
  /** Accepted sockets, by the client's port. */
  accepted: Map<number, Socket>;
}

async function server(): Promise<TestServer> {
  const accepted = new Map<number, Socket>();
  const tcp: Server = createServer((socket) => accepted.set(socket.remotePort as number, socket));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        for (const socket of accepted.values()) socket.destroy();
        tcp.close(resolve);
      }),
  );
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  return { port: (tcp.address() as { port: number }).port, accepted };
}

async function child(listen: boolean) {
  const started = await startChildService(listen);
  cleanups.push(() => started.stop());
  return started;
}

describe.each<SocketOwnerBackend>(['proc', 'lsof'])('SocketOwners (%s)', (backend) => {
  it('names the child process holding the client end, and the port it listens on', async () => {
    const target = await server();
    const hello = await child(true);
    const { localPorts } = await hello.send<{ localPorts: number[] }>(`hold ${target.port} 1`);

    const owner = await new SocketOwners({ backend }).find(localPorts[0] as number, target.port);

    expect(owner).toEqual({ pid: hello.pid, command: 'node', listeningPorts: [hello.port] });
  });

  it('answers a burst of lookups from several processes together, and null for a port nobody holds', async () => {
    const target = await server();
    const listening = await child(true);
    const calling = await child(false);
    const fromListening = (await listening.send<{ localPorts: number[] }>(`hold ${target.port} 5`)).localPorts;
    const fromCalling = (await calling.send<{ localPorts: number[] }>(`hold ${target.port} 5`)).localPorts;
    const owners = new SocketOwners({ backend });

    const answers = await Promise.all([...fromListening, ...fromCalling, 1].map((port) => owners.find(port, target.port)));

    expect(answers.slice(0, 5).map((owner) => owner?.pid)).toEqual(Array(5).fill(listening.pid));
    expect(answers.slice(5, 10).map((owner) => owner?.pid)).toEqual(Array(5).fill(calling.pid));
    expect(answers[5]?.listeningPorts).toEqual([]);
    expect(answers[10]).toBeNull();
  });

  it('tells the client end from the server end of the same connection', async () => {
    const target = await server();
    const calling = await child(false);
    const [clientPort] = (await calling.send<{ localPorts: number[] }>(`hold ${target.port} 1`)).localPorts as [number];

    const owners = new SocketOwners({ backend });
    // Reversed, the question is about the accepted socket this test process holds.
    const server_ = await owners.find(target.port, clientPort);
    expect(server_?.pid).toBe(process.pid);
    expect(server_?.listeningPorts).toContain(target.port);
    expect((await owners.find(clientPort, target.port))?.pid).toBe(calling.pid);
  });
});

describe('SocketOwners without an OS view', () => {
  it('resolves null at once', async () => {
    expect(await new SocketOwners({ backend: 'none' }).find(1234, 4140)).toBeNull();
  });
});
