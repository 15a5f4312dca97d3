/**
 * The proxy's listener: one port for HTTP/1.x and HTTP/2 with prior knowledge. A connection's first
 * bytes say which (tunnel-sniff.ts): the HTTP/2 connection preface goes to the HTTP/2 side, the rest
 * to Node's HTTP/1 server, which this listener is.
 *
 * Telling them apart costs each new connection one read before its parser takes over (not each
 * request: keep-alive connections are told once). A connection that sends nothing is closed after
 * the header timeout, as one that starts its headers and stalls would be.
 *
 * The tunnel connections it hands to the tunnel server, and the HTTP/2 sessions, are still its own
 * (it accepted them, and `close` waits for them), so closing its idle or all connections — what a
 * graceful stop does — closes theirs too.
 */
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import http from '../node-http.js';
import type { Socket } from 'node:net';
import type { H2Front } from './h2/h2-front.js';
import { sniffTunnel } from './tunnel-sniff.js';

export class ProxyListener extends http.Server {
  /** Connections whose first bytes have not come yet. */
  private readonly undecided = new Set<Socket>();
  /** Node's own HTTP/1 connection listener. */
  private readonly http1: (socket: Socket) => void;

  constructor(
    options: ServerOptions,
    onRequest: (req: IncomingMessage, res: ServerResponse) => void,
    private readonly tunnels: Server,
    private readonly h2: H2Front,
    private readonly firstBytesTimeoutMs: number,
    /** Told of each connection as it is accepted, whatever it will speak. */
    private readonly accepted: (socket: Socket) => void,
  ) {
    super(options, onRequest);
    // Node's HTTP/1 server takes each connection in its 'connection' listener; this listener takes
    // them first, and hands it those that speak HTTP/1.x. (Not an emit override: that would run,
    // and copy its arguments, on every event of every request.)
    const [http1] = this.listeners('connection') as ((socket: Socket) => void)[];
    if (http1 === undefined) throw new Error("Node's HTTP server registered no 'connection' listener");
    this.http1 = http1;
    this.removeListener('connection', http1);
    this.on('connection', (socket: Socket) => {
      this.accepted(socket);
      this.sniff(socket);
    });
  }

  /** Hands a socket whose protocol is known (HTTP/1.x) to the HTTP/1 server, as a new connection. */
  serveHttp1(socket: Socket): void {
    this.http1.call(this, socket);
  }

  override closeIdleConnections(): void {
    super.closeIdleConnections();
    this.tunnels.closeIdleConnections();
    this.h2.closeIdle();
    for (const socket of this.undecided) socket.destroy();
  }

  override closeAllConnections(): void {
    super.closeAllConnections();
    this.tunnels.closeAllConnections();
    this.h2.close();
    for (const socket of this.undecided) socket.destroy();
  }

  private sniff(socket: Socket): void {
    this.undecided.add(socket);
    socket.once('close', () => this.undecided.delete(socket));
    sniffTunnel(socket, NOTHING_YET, this.firstBytesTimeoutMs, (protocol, bytes) => {
      this.undecided.delete(socket);
      if (protocol === 'h2') {
        this.h2.serve(socket, bytes, null);
        return;
      }
      // HTTP/1.x (or anything else, which its parser refuses): the bytes go back for the parser.
      socket.unshift(bytes);
      this.http1.call(this, socket);
      socket.resume();
    });
  }
}

const NOTHING_YET = Buffer.alloc(0);
