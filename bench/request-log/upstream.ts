/**
 * The benchmark's upstream service, in its own process so its work is not counted against the
 * mesh: a keep-alive HTTP server on a free loopback port that answers every request at once with a
 * small text body. Prints `listening <port>` on stdout; exits on SIGTERM.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const BODY = 'ok from the bench upstream\n';

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(BODY) });
  res.end(BODY);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
