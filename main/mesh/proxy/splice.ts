/**
 * Joins two sockets into one byte stream each way, for CONNECT tunnels and upgraded connections.
 * pipe() gives backpressure and passes each half-close on (a client that ends its side still gets
 * the rest of the answer); an error or a reset on either side destroys both, so neither is left
 * open with no partner; and a tunnel with no bytes moving for `idleMs` is closed, so abandoned
 * tunnels cannot hold connection slots forever.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export function splice(client: Socket, upstream: Duplex, idleMs: number, onClosed: () => void): void {
  let open = 2;
  const closed = () => {
    open--;
    // One side closing ends the tunnel: the other side has nothing left to talk to.
    if (open === 1) {
      client.destroy();
      upstream.destroy();
    }
    if (open === 0) onClosed();
  };
  const fail = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', fail);
  upstream.on('error', fail);
  client.once('close', closed);
  upstream.once('close', closed);
  if (idleMs > 0) {
    // The client socket sees every byte either way, so its inactivity timer covers the tunnel.
    client.setTimeout(idleMs);
    client.on('timeout', fail);
  }
  client.pipe(upstream);
  upstream.pipe(client);
}
