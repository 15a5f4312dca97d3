/**
 * Requests that came inside a client's CONNECT tunnel (what Node 22's fetch with NODE_USE_ENV_PROXY=1
 * and undici's ProxyAgent with proxyTunnel send, even for http:// URLs) are rows of the log like any
 * other: one row per request, never one per tunnel, each with a `tunnel` flag, and a decision trace
 * that starts with the tunnel. Screenshots of the log and the detail pane in both themes and at both
 * sizes the dashboard supports are kept with the report.
 * Run: `npm run build && npx playwright test e2e/requests-tunnel.spec.ts`.
 */
import { ProxyAgent, request } from 'undici';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { keepScreenshot } from './fixtures/screenshots.js';
import { startTextServer } from './fixtures/text-server.js';
import { RequestsPage } from './pages/requests-page.js';

test.describe.configure({ timeout: 90_000 });

test('requests inside a CONNECT tunnel are rows of their own, flagged, with the tunnel in their trace', async ({ serveWithConfig, dashboard }, testInfo) => {
  const orders = await startTextServer('orders v1');
  try {
    const mesh = await serveWithConfig(`services:\n  orders:\n    instances: [${orders.address}]\n`);
    // One agent, so its one tunnel carries every request, as a Node service's would.
    const agent = new ProxyAgent({ uri: mesh.proxyUrl, proxyTunnel: true });
    try {
      for (const path of ['/orders/1', '/orders/2', '/orders/3']) {
        const answer = await request(`http://orders${path}`, { dispatcher: agent });
        expect(await answer.body.text()).toBe('orders v1');
      }
    } finally {
      await agent.close();
    }

    const page = dashboard.page;
    const requests = new RequestsPage(page);
    await dashboard.signIn(mesh.loginUrl);
    await requests.openAt(mesh.dashboardUrl, 'service=orders');
    await expect(requests.rows).toHaveCount(3);
    await expect(requests.rows.filter({ hasText: 'CONNECT' })).toHaveCount(0);
    const tunnelled = requests.rows.filter({ has: page.locator('.flag-tunnelled') });
    await expect(tunnelled).toHaveCount(3);
    await expect(tunnelled.first()).toContainText('tunnel');

    const row = requests.rows.filter({ hasText: '/orders/2' });
    await requests.openExchange(Number(await row.getAttribute('data-id')));
    const trace = requests.detail.getByTestId('decision-trace');
    await expect(trace).toContainText('tunnel');
    await expect(trace).toContainText('CONNECT orders:80');

    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      for (const size of [
        { width: 1280, height: 800 },
        { width: 1024, height: 700 },
      ]) {
        await page.setViewportSize(size);
        await keepScreenshot(testInfo, `tunnelled requests ${colorScheme} ${size.width}x${size.height}`, page);
      }
      await trace.scrollIntoViewIfNeeded();
      await keepScreenshot(testInfo, `tunnelled request's trace ${colorScheme}`, requests.detail);
    }
  } finally {
    await orders.close();
  }
});
