/**
 * Guarded reroute against `meshdesk demo` with its real services and traffic: world v2 is told to
 * fail (its own control endpoint, through the proxy pinned to v2), the world edge is dragged onto v2 with the
 * drag's default guard, and once 20 requests reached v2 the mesh rolls it back: the edge snaps back
 * to v1, the graph says why, the panel shows the guard rolled back with the reason, and requests
 * through hello answer from v1 again. With "Guard drags" off in Settings, a drag sends no guard.
 * Screenshots of the panel and the notice at 1280×800 and 1024×700, light and dark.
 * Run: `npm run build && npx playwright test e2e/guarded-reroute.spec.ts`.
 */
import { ProxyAgent, request } from 'undici';
import { requestsThroughProxy } from './fixtures/http-clients.js';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { keepScreenshot } from './fixtures/screenshots.js';
import { TopologyPage } from './pages/topology-page.js';

test.describe.configure({ timeout: 90_000 });

test('a drag onto a failing v2 snaps back with the reason, and hello answers from v1', async ({ demo, dashboard }, testInfo) => {
  const page = dashboard.page;
  const topology = new TopologyPage(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('topology');
  await expect(topology.edge('hello->world@v1')).toBeVisible({ timeout: 20_000 });
  // The baseline: v1 answering, through hello.
  for (const body of await requestsThroughProxy(demo.proxyUrl, 'http://hello/', 10)) expect(body).toBe('hello from hello, and world v1\n');
  // Through the proxy, pinned to v2 by the override header: a call past the proxy would show as a bypass edge on v2.
  const agent = new ProxyAgent(demo.proxyUrl);
  const control = await request('http://world/control/fail?rate=1', { method: 'POST', dispatcher: agent, headers: { 'x-meshdesk-route': 'world=v2' } });
  expect(control.statusCode).toBe(200);
  await control.body.text();
  await agent.close();
  // That call draws its own (idle) edge onto world@v2: let it appear, so the graph holds still for the drag.
  await expect(page.locator('[data-testid^="rf__edge-"][data-testid$="->world@v2"]').first()).toBeVisible({ timeout: 15_000 });

  const rerouteCalls: unknown[] = [];
  page.on('request', (sent) => {
    if (new URL(sent.url()).pathname === '/api/routes/reroute') rerouteCalls.push(JSON.parse(sent.postData() ?? 'null'));
  });
  await topology.dragEdgeHead('hello->world@v1', topology.versionHandle('world', 'v2'));
  await expect(topology.versionShare('world', 'v2')).toHaveText('100%');
  expect(rerouteCalls).toEqual([
    { service: 'world', version: 'v2', origin: 'gui', guard: { forSeconds: 60, minRequests: 20, maxFailureRate: 1, maxP99Ratio: 2 } },
  ]);
  await expect(topology.notice).toContainText('The guard watches it for 60 s.');

  await topology.openPanel('world');
  const guard = topology.panel.getByTestId('guard-status');
  // The demo's own traffic (2 req/s) takes a while to reach 20 requests: the guard is seen watching.
  await expect(guard).toHaveAttribute('data-state', 'watching');
  await keepScreenshot(testInfo, 'panel guard watching 1280 light', topology.panel);

  // Traffic through hello reaches the failing v2; at the 20th request the guard rolls it back.
  await requestsThroughProxy(demo.proxyUrl, 'http://hello/', 30);
  const reason = /rolled back by guard: success \d+(\.\d+)?% < baseline \d+(\.\d+)?% after 2\d requests/;
  await expect(topology.notice).toContainText(/^world snapped back to v1: /);
  await expect(topology.notice).toContainText(reason);
  await expect(topology.notice).toHaveAttribute('role', 'alert');
  await expect(topology.versionShare('world', 'v1')).toHaveText('100%');
  await expect(topology.edgeDrawing('hello->world@v1')).toHaveAttribute('data-retired', 'false');
  await expect(guard).toHaveAttribute('data-state', 'rolled-back');
  await expect(topology.panel.getByTestId('guard-reason')).toHaveText(reason);
  await expect(topology.panel.getByTestId('route-history')).toContainText(reason);
  await expect(topology.panel.getByTestId('route-history')).toContainText('guard');

  for (const [width, height] of [
    [1280, 800],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      // The theme follows the system by default: the emulated scheme is the one in force.
      await expect(page.locator('body')).toHaveCSS('background-color', scheme === 'dark' ? 'rgb(20, 23, 28)' : 'rgb(255, 255, 255)');
      await keepScreenshot(testInfo, `guard rolled back ${width} ${scheme}`, page);
      await keepScreenshot(testInfo, `panel guard rolled back ${width} ${scheme}`, topology.panel);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });

  for (const body of await requestsThroughProxy(demo.proxyUrl, 'http://hello/', 10)) expect(body).toBe('hello from hello, and world v1\n');
});

test('with "Guard drags" off in Settings, a drag sends no guard', async ({ demo, dashboard }) => {
  const page = dashboard.page;
  const topology = new TopologyPage(page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('settings');
  const toggle = page.getByTestId('guard-drags');
  await expect(toggle).toBeChecked();
  await expect(page.getByTestId('guard-period')).toHaveValue('60');
  await toggle.uncheck();
  await expect(page.getByTestId('guard-period')).toBeDisabled();

  await dashboard.open('topology');
  await expect(topology.edge('hello->world@v1')).toBeVisible({ timeout: 20_000 });
  const rerouteCalls: unknown[] = [];
  page.on('request', (sent) => {
    if (new URL(sent.url()).pathname === '/api/routes/reroute') rerouteCalls.push(JSON.parse(sent.postData() ?? 'null'));
  });
  await topology.dragEdgeHead('hello->world@v1', topology.versionHandle('world', 'v2'));
  await expect(topology.versionShare('world', 'v2')).toHaveText('100%');
  expect(rerouteCalls).toEqual([{ service: 'world', version: 'v2', origin: 'gui' }]);
  await topology.openPanel('world');
  await expect(topology.panel.getByTestId('guard-status')).toHaveCount(0);
});
