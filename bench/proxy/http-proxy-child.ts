/**
 * The bare http-proxy row: http-proxy-3 (the maintained, typed http-proxy) forwarding everything to
 * one upstream over a keep-alive agent, with nothing else on the path. It is the baseline
 * Meshdesk's throughput target is stated against (about 1.8x this; checkTargets in report.ts).
 * Run as a child process: `node http-proxy-child.js <upstream-port>`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyServer } from 'http-proxy-3';
import { serveParent } from './child-channel.js';
import { RequestCounter } from './request-counter.js';

const upstreamPort = Number(process.argv[2]);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const proxy = createProxyServer({ target: `http://127.0.0.1:${upstreamPort}`, agent });
proxy.on('error', (_error, _req, res) => {
  if (res instanceof http.ServerResponse && !res.headersSent) res.writeHead(502).end();
  else res.destroy();
});
const server = http.createServer((req, res) => proxy.web(req, res));
server.keepAliveTimeout = 120_000;
// Counted on arrival (one listener call, no per-request closure), for the long (memory) run.
const counter = new RequestCounter();
server.on('request', () => counter.tick());
server.listen(0, '127.0.0.1', () =>
  serveParent((server.address() as AddressInfo).port, null, {
    stats: () => ({ requests: counter.count, failures: null, milestones: counter.milestones }),
  }),
);
