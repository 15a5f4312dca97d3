/**
 * Demo service `world`: answers with its version, so a reroute is visible in every response.
 * It can be told to be slow or to fail — by flag at start, or at runtime:
 *   POST /control/slow?ms=300   POST /control/fail?rate=0.5   POST /control/reset
 */
import http from 'node:http';
import { announceListening, flag } from './service-args.js';

const version = flag('version', 'v1');
const behaviour = { delayMs: Number(flag('delay', '0')), failRate: Number(flag('fail-rate', '0')) };

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://world');
  if (url.pathname.startsWith('/control/') && req.method === 'POST') return control(url, res);
  if (url.pathname === '/health') return reply(res, 200, 'ok\n');
  const failing = Math.random() < behaviour.failRate;
  setTimeout(() => {
    if (failing) reply(res, 500, `world ${version} failed on purpose\n`);
    else reply(res, 200, `world ${version}\n`);
  }, behaviour.delayMs);
});

function control(url: URL, res: http.ServerResponse): void {
  const action = url.pathname.slice('/control/'.length);
  if (action === 'slow') behaviour.delayMs = Number(url.searchParams.get('ms') ?? '300');
  else if (action === 'fail') behaviour.failRate = Number(url.searchParams.get('rate') ?? '1');
  else if (action === 'reset') Object.assign(behaviour, { delayMs: 0, failRate: 0 });
  else return reply(res, 404, `unknown control ${action}\n`);
  reply(res, 200, `${JSON.stringify(behaviour)}\n`);
}

function reply(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-world-version': version });
  res.end(body);
}

server.listen(Number(flag('port', '7002')), '127.0.0.1', () => {
  const address = server.address();
  announceListening(`world ${version}`, typeof address === 'object' && address ? address.port : 0);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
