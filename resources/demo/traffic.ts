/**
 * The demo's traffic generator: calls `http://hello/` through the mesh at a steady rate, so the
 * dashboard has something to show. Like hello, it finds the proxy through http_proxy.
 */
import { EnvHttpProxyAgent, request } from 'undici';
import { flag } from './service-args.js';

const agent = new EnvHttpProxyAgent();
const target = flag('target', 'http://hello/');
const perSecond = Math.max(0.1, Number(flag('rps', '5')));

setInterval(() => {
  request(target, { dispatcher: agent })
    .then((answer) => answer.body.dump())
    .catch((error: unknown) => console.error(`traffic: ${error instanceof Error ? error.message : String(error)}`));
}, 1000 / perSecond);
console.log(`traffic: ${perSecond} req/s to ${target} through ${process.env.http_proxy ?? '(no http_proxy set)'}`);
process.on('SIGTERM', () => process.exit(0));
