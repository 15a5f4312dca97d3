/**
 * What a client speaks inside a CONNECT tunnel to a service, told from its first bytes: the mesh
 * answers such a CONNECT itself, so it must know whether to parse HTTP/1.x, HTTP/2 or leave the
 * bytes alone (TLS). Every protocol here has the client speak first, so the first bytes decide:
 * a TLS record starts with the handshake content type 0x16, HTTP/2 with its connection preface
 * `PRI * HTTP/2.0` (no HTTP/1 method is `PRI`), anything else is read as HTTP/1.x, whose own
 * parser then refuses what is not.
 */
import type { Socket } from 'node:net';

export type TunnelProtocol = 'http1' | 'h2' | 'tls';

const TLS_HANDSHAKE = 0x16;
const H2_PREFACE_START = Buffer.from('PRI ', 'latin1');

/** The protocol the bytes begin, or null while too few have arrived to tell. */
export function protocolOf(bytes: Buffer): TunnelProtocol | null {
  if (bytes.length === 0) return null;
  if (bytes[0] === TLS_HANDSHAKE) return 'tls';
  const compared = Math.min(bytes.length, H2_PREFACE_START.length);
  if (bytes.subarray(0, compared).equals(H2_PREFACE_START.subarray(0, compared))) {
    return compared === H2_PREFACE_START.length ? 'h2' : null;
  }
  return 'http1';
}

/**
 * Waits for enough of the client's bytes to tell its protocol (`head`: bytes that came with the
 * CONNECT), then calls `decided` with the protocol and every byte read so far, with the socket
 * paused so the next reader gets the rest. A client that closes or ends first, or sends nothing
 * for `idleMs`, has its socket destroyed and `decided` is never called (servers are half-open:
 * nothing else would close it).
 */
export function sniffTunnel(socket: Socket, head: Buffer, idleMs: number, decided: (protocol: TunnelProtocol, bytes: Buffer) => void): void {
  let bytes = head;
  const known = protocolOf(bytes);
  if (known !== null) {
    decided(known, bytes);
    return;
  }
  const gone = () => socket.destroy();
  const idle = setTimeout(gone, idleMs);
  const stop = () => {
    clearTimeout(idle);
    socket.off('data', onData);
    socket.off('end', gone);
    socket.off('error', gone);
    socket.off('close', stop);
  };
  const onData = (chunk: Buffer) => {
    bytes = bytes.length === 0 ? chunk : Buffer.concat([bytes, chunk]);
    const protocol = protocolOf(bytes);
    if (protocol === null) return;
    stop();
    socket.pause();
    decided(protocol, bytes);
  };
  socket.on('data', onData);
  socket.once('end', gone);
  socket.once('error', gone);
  socket.once('close', stop);
  socket.resume();
}
