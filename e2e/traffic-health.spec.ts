/**
 * Health without a check, against a real mesh and real traffic: an instance without a check that
 * answers shows `healthy` and one refusing connections `failing` (connection refused), both marked
 * "from traffic", in the Services page, the graph's dots and the service panel; a checked instance
 * keeps its check's verdict with traffic's beside it; one with neither says so. Screenshots of both
 * views at 1280×800 and 1024×700, light and dark.
 * Run: `npm run build && npx playwright test e2e/traffic-health.spec.ts`.
 */
import http from 'node:http';
import net from 'node:net';
import { getViaProxyAgent } from './fixtures/http-clients.js';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { screenshotEachLook } from './fixtures/screenshots.js';
import { startTextServer } from './fixtures/text-server.js';
import { ServicesPage } from './pages/services-page.js';
import { TopologyPage } from './pages/topology-page.js';

/** Passes its health check (`/health`) and answers 503 to everything else. */
async function startFlakyServer(): Promise<{ address: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => res.writeHead(req.url === '/health' ? 200 : 503).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { address: `127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A loopback address nothing listens on (bound, then released). */
async function refusingAddress(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

test('health from traffic shows apart from checks in the Services page, the graph and the panel', async ({ serveWithConfig, dashboard }, testInfo) => {
  const hello = await startTextServer('hello\n');
  const quiet = await startTextServer('quiet\n');
  const flaky = await startFlakyServer();
  const gone = await refusingAddress();
  try {
    const mesh = await serveWithConfig(
      [
        'services:',
        `  hello: { instances: [${hello.address}] }`,
        `  gone: { instances: [${gone}], retries: { attempts: 0 } }`,
        `  quiet: { instances: [${quiet.address}] }`,
        '  flaky:',
        `    instances: [${flaky.address}]`,
        '    healthCheck: { type: http, path: /health, interval: 1s }',
        '    retries: { attempts: 0 }',
        '',
      ].join('\n'),
    );
    // Named in the proxy URL: the test process also serves `hello` and `quiet`, and would pass for them.
    const proxy = new URL(mesh.proxyUrl);
    proxy.username = 'web';
    for (let sent = 0; sent < 3; sent++) {
      expect((await getViaProxyAgent(proxy.href, 'http://hello/')).status).toBe(200);
      expect((await getViaProxyAgent(proxy.href, 'http://flaky/')).status).toBe(503);
    }
    expect((await getViaProxyAgent(proxy.href, 'http://gone/')).status).toBe(502);

    const page = dashboard.page;
    const services = new ServicesPage(page);
    await dashboard.signIn(mesh.loginUrl);
    await dashboard.open('services');
    const health = (service: string, address: string) => services.instanceRow(service, address).getByTestId('instance-health');
    await expect(health('hello', hello.address)).toHaveText('healthy');
    await expect(health('hello', hello.address)).toHaveAttribute('data-source', 'traffic');
    await expect(services.instanceRow('hello', hello.address)).toContainText('from traffic');
    await expect(health('gone', gone)).toHaveText('failing');
    await expect(services.instanceRow('gone', gone)).toContainText('connection refused');
    await expect(health('flaky', flaky.address)).toHaveText('healthy', { timeout: 10_000 });
    await expect(health('flaky', flaky.address)).toHaveAttribute('data-source', 'check');
    await expect(services.instanceRow('flaky', flaky.address).getByTestId('instance-traffic-note')).toHaveText('traffic: failing · HTTP 503');
    await expect(health('quiet', quiet.address)).toHaveText('unknown');
    await expect(services.instanceRow('quiet', quiet.address)).toContainText('no health check · no traffic yet');
    await screenshotEachLook(testInfo, page, 'traffic health services');

    const topology = new TopologyPage(page);
    await dashboard.open('topology');
    const goneDot = page.getByTestId(`instance-dot-${gone}`);
    await expect(goneDot).toHaveAttribute('data-source', 'traffic');
    await expect(goneDot).toHaveClass(/instance-failing/);
    await expect(goneDot).toHaveAttribute('title', `${gone}: failing from traffic (connection refused); no health check`);
    await expect(page.getByTestId(`instance-dot-${flaky.address}`)).toHaveAttribute('data-source', 'check');
    await screenshotEachLook(testInfo, page, 'traffic health graph');
    await topology.openPanel('flaky');
    const instance = topology.panel.getByTestId(`panel-instance-${flaky.address}`);
    await expect(instance.getByTestId('instance-traffic-note')).toHaveText('traffic: failing · HTTP 503');
    // The panel scrolled to its end, where the instances are (not sideways, as scrolling to the row would).
    await screenshotEachLook(testInfo, page, 'traffic health panel', () => topology.panel.evaluate((panel) => panel.scrollTo(0, panel.scrollHeight)));
  } finally {
    await Promise.all([hello.close(), quiet.close(), flaky.close()]);
  }
});
