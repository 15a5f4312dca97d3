// Routes declared in meshdesk.yaml reach the proxy: an alias sends a service's traffic to another
// service, weights and header rules split it. A real Mesh, real upstreams, real requests.
import http from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { answering, listenUpstream } from '../testing/http-upstream.js';
import { startTestMesh } from '../testing/test-mesh.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const upstream = (body: string) => listenUpstream(answering(body), cleanups);

function get(proxyPort: number, host: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: proxyPort, path: '/', headers: { host, ...headers } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

it('follows an alias and header rules from meshdesk.yaml', async () => {
  const next = await upstream('search-next');
  const old = await upstream('search v1');
  const canary = await upstream('search canary');
  const yaml = [
    'services:',
    '  search:',
    '    versions:',
    `      v1: { instances: [127.0.0.1:${old}] }`,
    '    route: { alias: search-next }',
    '  search-next:',
    '    versions:',
    `      v1: { instances: [127.0.0.1:${next}] }`,
    `      canary: { instances: [127.0.0.1:${canary}] }`,
    '    route:',
    '      headers: [{ header: x-canary, value: "1", version: canary }]',
    '',
  ].join('\n');
  const { proxyPort } = (await startTestMesh({ yaml, cleanups })).addresses;
  expect(await get(proxyPort, 'search')).toBe('search-next');
  expect(await get(proxyPort, 'search-next', { 'x-canary': '1' })).toBe('search canary');
  expect(await get(proxyPort, 'search', { 'x-canary': '1' })).toBe('search canary');
});
