/**
 * meshdesk.yaml's `telemetry:` section in a running Mesh: the request log's capacity, the bytes of
 * each body it keeps, the headers it masks and the statuses the success rate counts as failures
 * take effect from the start; a later change to them is logged as waiting for the next start.
 * Real Mesh, real config file, a real upstream on 127.0.0.1, real requests through the proxy.
 * Run: npx vitest run main/mesh/telemetry/mesh-telemetry-config.test.ts
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MASKED_VALUE } from '../../../shared/exchange.js';
import { listenUpstream } from '../testing/http-upstream.js';
import { startTestMesh } from '../testing/test-mesh.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const until = (check: () => unknown) => vi.waitFor(check, { timeout: 5_000, interval: 20 });

/** Answers `/status/<code>` with that code, anything else with 200; the body names the path. */
const byPath: http.RequestListener = (req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(Number(/^\/status\/(\d{3})$/.exec(req.url ?? '')?.[1] ?? 200)).end(`answer to ${req.url}`));
};

const TELEMETRY = 'telemetry:\n  logCapacity: 5\n  bodyCaptureBytes: 4\n  maskedHeaders: [X-Api-Key]\n  failureStatuses: ["404"]\n';
const services = (port: number, labels = '') => `services:\n  world:\n    instances: [127.0.0.1:${port}]\n${labels}    retries: { attempts: 0 }\n`;

async function startMesh(yaml: string) {
  const log: string[] = [];
  const { mesh, configFile, addresses } = await startTestMesh({ yaml, log: (line) => log.push(line), cleanups });
  return { mesh, log, proxyPort: addresses.proxyPort, rewrite: (text: string) => writeFileSync(configFile, text) };
}

/** A POST to `world` through the proxy, with a secret and a not-masked-here Authorization. */
function post(proxyPort: number, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { host: 'world', 'X-Api-Key': 'k3y', Authorization: 'Bearer visible', 'Content-Type': 'text/plain' };
    const req = http.request({ host: '127.0.0.1', port: proxyPort, method: 'POST', path: target, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end('abcdefgh');
  });
}

describe('telemetry settings from meshdesk.yaml', () => {
  it('size the log, cut bodies, mask the listed headers and count the listed statuses as failures', async () => {
    const upstreamPort = await listenUpstream(byPath, cleanups);
    const { mesh, proxyPort } = await startMesh(TELEMETRY + services(upstreamPort));
    const targets = ['/first', '/second', '/status/404', '/status/500', '/third', '/fourth', '/fifth'];
    const statuses: number[] = [];
    for (const target of targets) statuses.push(await post(proxyPort, target));
    expect(statuses).toEqual([200, 200, 404, 500, 200, 200, 200]);
    await until(() => expect(mesh.telemetry.snapshot().services.find((row) => row.service === 'world')?.stats.requests).toBe(7));

    // The log holds the newest 5 of the 7.
    const page = mesh.telemetry.query();
    expect(page).toMatchObject({ held: 5, capacity: 5 });
    expect(page.exchanges.map((exchange) => exchange.path)).toEqual(targets.slice(2).reverse());

    // 404 fails and 500 does not, in the log and in the success rate.
    const failed = Object.fromEntries(page.exchanges.map((exchange) => [exchange.path, exchange.failed]));
    expect(failed).toEqual({ '/status/404': true, '/status/500': false, '/third': false, '/fourth': false, '/fifth': false });
    expect(mesh.telemetry.snapshot().services.find((row) => row.service === 'world')?.stats).toMatchObject({ requests: 7, failures: 1 });

    for (const exchange of page.exchanges) {
      // Bodies cut at 4 bytes each way, with their real size.
      expect(exchange.requestBody).toEqual({ encoding: 'utf8', data: 'abcd', size: 8, truncated: true });
      expect(exchange.responseBody).toEqual({ encoding: 'utf8', data: 'answ', size: `answer to ${exchange.path}`.length, truncated: true });
      // The listed header is masked; the list replaces the defaults, so Authorization is not.
      const headers = Object.fromEntries(exchange.requestHeaders ?? []);
      expect(headers).toMatchObject({ 'X-Api-Key': MASKED_VALUE, Authorization: 'Bearer visible' });
    }
    expect(JSON.stringify(page)).not.toContain('k3y');
  });

  it('logs once that changed settings wait for the next start, and keeps the ones it started with', async () => {
    const upstreamPort = await listenUpstream(byPath, cleanups);
    const { mesh, log, rewrite } = await startMesh(TELEMETRY + services(upstreamPort));
    const telemetryLines = () => log.filter((line) => line.includes('telemetry'));
    const reloads = () => log.filter((line) => line === 'meshdesk: config reloaded').length;

    rewrite(TELEMETRY.replace('logCapacity: 5', 'logCapacity: 50').replace('"404"', '5xx') + services(upstreamPort));
    await until(() => expect(reloads()).toBe(1));
    expect(telemetryLines()).toEqual([
      'meshdesk: telemetry.logCapacity, telemetry.failureStatuses changed; telemetry settings take effect at the next start, the ones read at start stay in force',
    ]);
    expect(mesh.telemetry.query().capacity).toBe(5);

    // A reload that leaves the telemetry section as it was says nothing more about it, and neither
    // does going back to the settings in force.
    rewrite(TELEMETRY.replace('logCapacity: 5', 'logCapacity: 50').replace('"404"', '5xx') + services(upstreamPort, '    labels: { team: core }\n'));
    await until(() => expect(reloads()).toBe(2));
    rewrite(TELEMETRY + services(upstreamPort));
    await until(() => expect(reloads()).toBe(3));
    expect(telemetryLines()).toHaveLength(1);
  });
});
