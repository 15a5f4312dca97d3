// A Node service's HTTP client in its own process, as tests of the real clients need it: the
// global fetch (Node 22 with NODE_USE_ENV_PROXY=1 and HTTP_PROXY in its environment: undici's
// EnvHttpProxyAgent, which tunnels even http:// URLs with CONNECT), or undici's ProxyAgent with
// `proxyTunnel`. One agent for the life of the process, so its tunnels are kept alive between
// commands. Driven by one JSON command per stdin line, answered by one JSON line on stdout:
//   {"url", "method"?, "headers"?, "body"?, "count"?, "concurrency"?} → {"results": [{status, body} | {error}]}
// Arguments: `fetch` | `proxy-agent <proxy url>`, then `listen` to also serve HTTP on a port of its
// own (as a registered service's process would); the first line printed is {"pid", "port"}.
import http from 'node:http';
import readline from 'node:readline';

const [mode, proxyUrl, listen] = process.argv.slice(2);
let dispatcher;
if (mode === 'proxy-agent') {
  const { ProxyAgent } = await import('undici');
  dispatcher = new ProxyAgent({ uri: proxyUrl, proxyTunnel: true });
}
const send = mode === 'proxy-agent' ? (await import('undici')).fetch : fetch;

async function one(command) {
  try {
    const response = await send(command.url, { method: command.method ?? 'GET', headers: command.headers, body: command.body, dispatcher });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { error: `${error.message}${error.cause ? `: ${error.cause.message ?? error.cause}` : ''}` };
  }
}

async function run(command) {
  const count = command.count ?? 1;
  const results = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await one(command);
    }
  };
  await Promise.all(Array.from({ length: Math.min(count, command.concurrency ?? 1) }, worker));
  return results;
}

const reply = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  run(JSON.parse(line)).then((results) => reply({ results }));
});
if (listen === 'listen') {
  const server = http.createServer((_req, res) => res.end('client'));
  server.listen(0, '127.0.0.1', () => reply({ pid: process.pid, port: server.address().port }));
} else {
  reply({ pid: process.pid, port: null });
}
