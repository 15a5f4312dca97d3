/**
 * For the shadow and diff command tests: `world` v1 and v2 behind a real `meshdesk serve`, each
 * version answering JSON that differs in one field (`user.name`) and in a per-call timestamp (`ts`,
 * noise), what each version received, and a caller going through the proxy.
 */
import { fetch, ProxyAgent } from 'undici';
import { SHADOW_HEADER } from '../../../shared/shadow.js';
import { listenUpstream } from '../../mesh/testing/http-upstream.js';
import { serveWithYaml } from './spawn-meshdesk.js';

export interface Received {
  method: string;
  url: string;
  body: string;
  shadow: boolean;
}

export async function servedWorld(cleanups: (() => unknown)[]) {
  const received: Record<'v1' | 'v2', Received[]> = { v1: [], v2: [] };
  const version = (name: 'v1' | 'v2') =>
    listenUpstream((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received[name].push({ method: req.method ?? '', url: req.url ?? '', body, shadow: req.headers[SHADOW_HEADER] !== undefined });
        const answer = { user: { name: name === 'v1' ? 'Ann' : 'Anne' }, ts: process.hrtime.bigint().toString() };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    }, cleanups);
  const [v1, v2] = [await version('v1'), await version('v2')];
  const yaml = `services:\n  world:\n    versions:\n      v1: { instances: [127.0.0.1:${v1}] }\n      v2: { instances: [127.0.0.1:${v2}] }\n`;
  const served = await serveWithYaml(yaml, cleanups);
  const agent = new ProxyAgent(served.mesh.proxyUrl);
  cleanups.push(() => agent.close());
  /** A request to `world` through the proxy; its JSON answer. */
  const call = async (method: string, path: string, body?: string) => {
    const answer = await fetch(`http://world${path}`, { method, body, dispatcher: agent, headers: body ? { 'content-type': 'application/json' } : {} });
    return (await answer.json()) as unknown;
  };
  return { ...served, received, call };
}
