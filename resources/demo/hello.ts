/**
 * Demo service `hello`: answers by calling `http://world/` — through the mesh, because, like any
 * service started in a shell with http_proxy exported, it sends its outgoing HTTP to the proxy.
 * undici's EnvHttpProxyAgent reads http_proxy and no_proxy the way curl does.
 */
import http from 'node:http';
import { EnvHttpProxyAgent, request } from 'undici';
import { announceListening, flag } from './service-args.js';

const agent = new EnvHttpProxyAgent();

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.end('ok\n');
    return;
  }
  request('http://world/', { dispatcher: agent, headers: { accept: 'text/plain' } })
    .then(async (answer) => {
      const text = (await answer.body.text()).trim();
      res.writeHead(answer.statusCode === 200 ? 200 : 502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`hello from hello, and ${text}\n`);
    })
    .catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`hello could not reach world: ${error instanceof Error ? error.message : String(error)}\n`);
    });
});

server.listen(Number(flag('port', '7001')), '127.0.0.1', () => {
  const address = server.address();
  announceListening('hello', typeof address === 'object' && address ? address.port : 0);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
