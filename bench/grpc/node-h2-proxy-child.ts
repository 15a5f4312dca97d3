/**
 * The bare node:http2 row: the engine Meshdesk's HTTP/2 path is built on, with nothing else on it.
 * Each incoming stream becomes a stream on one multiplexed session to the server (as Meshdesk keeps
 * one per instance), the request's data is piped up, the answer's headers, data and trailers come
 * back. No routing, no events, no checks: the gap between this row and Meshdesk's is the mesh's own
 * per-call cost, and this row's own added latency is the floor any proxy written on Node's HTTP/2
 * can reach. Run as a child process: `node node-h2-proxy-child.js <server-port>`.
 */
import http2, { type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { serveParent } from '../proxy/child-channel.js';
import { RequestCounter } from '../proxy/request-counter.js';

const serverPort = Number(process.argv[2]);
let session: ClientHttp2Session | null = null;
/** The session to the server, opened again when the server closed it (a GOAWAY, an idle timeout). */
function serverSession(): ClientHttp2Session {
  if (session && !session.closed && !session.destroyed) return session;
  const opened = http2.connect(`http://127.0.0.1:${serverPort}`);
  opened.on('error', (error) => console.error(`node-h2 proxy: session to the server: ${error.message}`));
  return (session = opened);
}
const counter = new RequestCounter();

/** A copy without the pseudo-headers, which node:http2 sets itself (`:status`, or `:path` and `:method` passed apart). */
function withoutPseudo(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) if (name.charCodeAt(0) !== 58 /* ':' */) out[name] = headers[name];
  return out;
}

const proxy = http2.createServer();
proxy.on('stream', (stream, headers) => {
  counter.tick();
  const outgoing = withoutPseudo(headers);
  outgoing[':method'] = headers[':method'];
  outgoing[':path'] = headers[':path'];
  const upstream = serverSession().request(outgoing);
  stream.pipe(upstream);
  let trailers: OutgoingHttpHeaders = {};
  upstream.on('response', (answer) => {
    // The caller may be gone by now (h2load stops its clients with calls in flight at its end).
    if (stream.destroyed) {
      upstream.close(http2.constants.NGHTTP2_CANCEL);
      return;
    }
    stream.respond({ ...withoutPseudo(answer), ':status': answer[':status'] }, { waitForTrailers: true });
    upstream.pipe(stream);
  });
  upstream.on('trailers', (received) => (trailers = withoutPseudo(received)));
  stream.on('wantTrailers', () => stream.sendTrailers(trailers));
  upstream.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
  stream.on('error', () => upstream.close(http2.constants.NGHTTP2_CANCEL));
  stream.on('close', () => {
    if (!upstream.closed) upstream.close(http2.constants.NGHTTP2_CANCEL);
  });
});
proxy.listen(0, '127.0.0.1', () =>
  serveParent((proxy.address() as AddressInfo).port, null, {
    stats: () => ({ requests: counter.count, failures: null, milestones: counter.milestones }),
    stop: async () => {
      session?.close();
      proxy.close();
    },
  }),
);
