// The connection table against real sockets: a child process holding connections to a server of
// this test is listed by both backends (/proc and lsof, which Linux has too), and this process's
// own connections are told apart (flagged on Linux, left out by lsof). Run: npx vitest run main/mesh/os/connection-table.test.ts
import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionsTo, type ConnectionTableBackend } from './connection-table.js';
import { startChildService } from './testing/child-service.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(): Promise<number> {
  const accepted: Socket[] = [];
  const tcp = createServer((socket) => accepted.push(socket));
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => (accepted.forEach((socket) => socket.destroy()), tcp.close(resolve))));
  return (tcp.address() as { port: number }).port;
}

describe.each<ConnectionTableBackend>(['proc', 'lsof'])('connectionsTo (%s)', (backend) => {
  it("lists another process's connections to the port, not this process's own", async () => {
    const port = await server();
    const child = await startChildService(false);
    cleanups.push(() => child.stop());
    const { localPorts } = await child.send<{ localPorts: number[] }>(`hold ${port} 2`);
    const own = connect(port, '127.0.0.1');
    cleanups.push(() => own.destroy());
    await new Promise((resolve) => own.once('connect', resolve));

    const found = (await connectionsTo(new Set([port]), process.pid, backend)).filter((connection) => !connection.own);

    expect(found.map((connection) => connection.localPort).sort()).toEqual([...localPorts].sort());
    expect(found.every((connection) => connection.remotePort === port && connection.remoteAddress === '127.0.0.1')).toBe(true);
    expect(new Set(found.map((connection) => connection.key)).size).toBe(2);
    expect(await connectionsTo(new Set([1]), process.pid, backend)).toEqual([]);
    if (backend === 'proc') {
      const ownFlagged = (await connectionsTo(new Set([port]), process.pid, backend)).filter((connection) => connection.own);
      expect(ownFlagged.map((connection) => connection.localPort)).toEqual([own.localPort]);
    }
  });
});
