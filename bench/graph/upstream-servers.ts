/**
 * Child process of the real-mode graph benchmark: every instance of the generated mesh as a real
 * HTTP server on its own loopback port (port 0), all in this one process — 150 to 600 processes
 * would swamp a two-core machine, and the proxy cannot tell the difference. Each answers 200 with a
 * short body at once (health checks included). Usage: fork with the instance count; it sends
 * `{ ports: number[] }` over IPC once all listen, and exits when the benchmark goes away.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exitWithParent } from './child.js';

const BODY = 'ok from a graph bench upstream\n';
const count = Number(process.argv[2]);
exitWithParent();

const handler: http.RequestListener = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(BODY) });
  res.end(BODY);
};

const ports = await Promise.all(
  Array.from({ length: count }, () => {
    const server = http.createServer(handler);
    // Longer than the proxy's pool keep-alive, so the proxy is the side that closes idle connections.
    server.keepAliveTimeout = 30_000;
    return new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  }),
);
process.send?.({ ports });
