/**
 * The bare undici row: the engine Meshdesk is built on (a keep-alive Pool and its `stream` API,
 * writing the upstream body straight into the client response) with nothing else on the path. The
 * gap between this row and Meshdesk's is the cost of routing, headers, events and safety checks.
 * Run as a child process: `node undici-child.js <upstream-port>`.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { serveParent } from './child-channel.js';
import { RequestCounter } from './request-counter.js';

const upstreamPort = Number(process.argv[2]);
const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { keepAliveTimeout: 60_000 });
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function endToEnd(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

const server = http.createServer((req, res) => {
  const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  pool.stream(
    { method: req.method ?? 'GET', path: req.url ?? '/', headers: endToEnd(req.headers), body: hasBody ? req : null },
    ({ statusCode, headers }) => {
      res.writeHead(statusCode, endToEnd(headers));
      return res;
    },
    (error) => {
      if (!error) return;
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    },
  );
});
server.keepAliveTimeout = 120_000;
// Counted on arrival (one listener call, no per-request closure), for the long (memory) run.
const counter = new RequestCounter();
server.on('request', () => counter.tick());
server.listen(0, '127.0.0.1', () =>
  serveParent((server.address() as AddressInfo).port, null, {
    stats: () => ({ requests: counter.count, failures: null, milestones: counter.milestones }),
  }),
);
