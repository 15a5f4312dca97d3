/**
 * The Node upstream: the smallest keep-alive HTTP server that answers every request with a fixed
 * body, so that what differs between rows is the proxy, not the service behind it.
 * Run as a child process: `node upstream-child.js`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveParent } from './child-channel.js';
import { UPSTREAM_BODY } from './upstream-body.js';

const body = Buffer.from(UPSTREAM_BODY);
const headers = { 'content-type': 'text/plain', 'content-length': String(body.length) };

const server = http.createServer((req, res) => {
  // Drain any request body so the connection stays usable, then answer.
  req.resume();
  res.writeHead(200, headers);
  res.end(body);
});
// Load generators and pools hold connections open between runs; do not cut them after 5 s.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;
server.listen(0, '127.0.0.1', () => {
  serveParent((server.address() as AddressInfo).port, null, {
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
});
