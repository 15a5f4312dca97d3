/**
 * HTTP/2 inside a CONNECT tunnel to a service — what gRPC clients (grpcio, grpc-js, grpc-go) send
 * with http_proxy set — until the mesh serves HTTP/2 itself (issue "HTTP/2 and gRPC"). Closing the
 * tunnel, or a bare GOAWAY, left grpcio retrying silently until its deadline. So each call gets an
 * answer in its own protocol saying why: a gRPC call a trailers-only UNAVAILABLE with the reason as
 * `grpc-message` (printed by every gRPC client as the error's details), any other request a 502
 * with the reason as text; then the session ends with GOAWAY. Node's http2 server does the framing;
 * it never listens, it is handed each tunnel's socket.
 */
import http2, { type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';

/** The reason every refused call is given, naming the authority it asked for. */
export function http2RefusalReason(authority: string): string {
  return `the mesh does not serve HTTP/2 (gRPC) to services yet, so the call to ${authority} was not sent; call it over HTTP/1.1, or reach the service directly until then`;
}

export class Http2Refusals {
  private readonly server = http2.createServer();
  private readonly sessions = new Set<Http2Session>();

  constructor() {
    this.server.on('stream', refuse);
    this.server.on('session', (session: Http2Session) => {
      this.sessions.add(session);
      session.on('error', () => session.destroy());
      session.once('close', () => this.sessions.delete(session));
    });
  }

  /** Takes over `socket`, whose first `bytes` (the connection preface) were read already. */
  serve(socket: Socket, bytes: Buffer): void {
    // Left paused: the session reads the socket itself, the buffered bytes first (not resume(),
    // which would hand them to 'data' listeners that are no longer there).
    if (bytes.length > 0) socket.unshift(bytes);
    this.server.emit('connection', socket);
  }

  close(): void {
    for (const session of this.sessions) session.destroy();
  }
}

function refuse(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
  stream.on('error', () => stream.destroy());
  const reason = http2RefusalReason(headers[':authority'] ?? 'the service');
  const grpc = headers['content-type']?.startsWith('application/grpc') === true;
  if (grpc) {
    // grpc-message is percent-encoded (gRPC over HTTP/2 spec); the reason is plain ASCII.
    stream.respond(
      { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '14', 'grpc-message': encodeURIComponent(reason) },
      { endStream: true },
    );
  } else {
    stream.respond({ ':status': 502, 'content-type': 'text/plain; charset=utf-8', 'x-meshdesk-error': reason });
    stream.end(`meshdesk: 502 ${reason}\n`);
  }
  stream.session?.close();
}
