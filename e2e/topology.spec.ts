/**
 * The topology graph against `meshdesk demo` with its real services and real traffic: the graph
 * shows who calls whom with live numbers, dragging an edge's head to another version reroutes
 * real requests, rollback brings them back, and a 50/50 split holds over 200 real requests.
 * Run: `npm run build && npx playwright test e2e/topology.spec.ts`.
 */
import { ProxyAgent, request } from 'undici';
import { getViaProxyAgent, requestsThroughProxy } from './fixtures/http-clients.js';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { keepScreenshot } from './fixtures/screenshots.js';
import { RequestsPage } from './pages/requests-page.js';
import { TopologyPage } from './pages/topology-page.js';

test.describe.configure({ timeout: 90_000 });

test('the graph shows hello → world@v1 with numbers that change while traffic flows', async ({ demo, dashboard }, testInfo) => {
  const topology = new TopologyPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('topology');

  const label = topology.edgeLabel('hello->world@v1');
  await expect(label).toBeVisible({ timeout: 20_000 });
  await expect(label).toHaveText(/rps · \d+(\.\d)?% · p99 /);
  await expect(topology.versionShare('world', 'v1')).toHaveText('100%');
  await expect(topology.versionShare('world', 'v2')).toHaveText('0%');
  const before = await label.textContent();

  // More real traffic through hello: the edge's numbers follow.
  await requestsThroughProxy(demo.proxyUrl, 'http://hello/', 40);
  await expect.poll(() => label.textContent(), { timeout: 15_000 }).not.toBe(before);

  await keepScreenshot(testInfo, 'topology graph', topology.graph);
});

test('a click on an edge opens its panel, and "show requests here" opens the log filtered to that edge', async ({ demo, dashboard }, testInfo) => {
  const topology = new TopologyPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('topology');
  await expect(topology.edge('hello->world@v1')).toBeVisible({ timeout: 20_000 });

  await topology.clickEdge('hello->world@v1');
  const panel = dashboard.page.getByTestId('edge-panel');
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText('hello → world@v1');
  await expect(panel.getByTestId('edge-metrics-rps')).toHaveText(/\d/, { timeout: 10_000 });
  await keepScreenshot(testInfo, 'edge panel', panel);

  await panel.getByTestId('edge-requests-link').click();
  const requests = new RequestsPage(dashboard.page);
  await expect(requests.filterWords).toHaveValue('service=world caller=hello version=v1');
  await expect(requests.rows.first()).toBeVisible({ timeout: 20_000 });
  for (const text of await requests.rows.allInnerTexts()) {
    expect(text).toContain('world@v1');
    expect(text).toContain('hello');
  }

  // From a service's panel: the whole service, and one version of it.
  await dashboard.open('topology');
  await topology.openPanel('world');
  await topology.panel.getByTestId('panel-version-requests-v1').click();
  await expect(requests.filterWords).toHaveValue('service=world version=v1');
  await dashboard.open('topology');
  await topology.openPanel('world');
  await topology.panel.getByTestId('panel-requests-link').click();
  await expect(requests.filterWords).toHaveValue('service=world');
});

test('dragging the edge onto world@v2 sends real requests through hello to v2, and rollback brings v1 back', async ({ demo, dashboard }, testInfo) => {
  const topology = new TopologyPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('topology');
  await expect(topology.edge('hello->world@v1')).toBeVisible({ timeout: 20_000 });
  expect((await getViaProxyAgent(demo.proxyUrl, 'http://hello/')).body).toBe('hello from hello, and world v1\n');

  const rerouteCalls: string[] = [];
  dashboard.page.on('request', (sent) => {
    if (new URL(sent.url()).pathname === '/api/routes/reroute') rerouteCalls.push(sent.postData() ?? '');
  });
  await topology.dragEdgeHead('hello->world@v1', topology.versionHandle('world', 'v2'));

  // The graph shows the mesh's answer: all of world to v2, then the traffic itself moving there.
  await expect(topology.versionShare('world', 'v2')).toHaveText('100%');
  await expect(topology.versionShare('world', 'v1')).toHaveText('0%');
  // The old edge turns into history at once (dashed, no arrow), though its stats window still holds it.
  await expect(topology.edgeDrawing('hello->world@v1')).toHaveAttribute('data-retired', 'true');
  // One drop, one call, guarded as Settings says by default (guarded-reroute.spec.ts tests the guard).
  expect(rerouteCalls.map((body) => JSON.parse(body) as unknown)).toEqual([
    { service: 'world', version: 'v2', origin: 'gui', guard: { forSeconds: 60, minRequests: 20, maxFailureRate: 1, maxP99Ratio: 2 } },
  ]);
  for (const body of await requestsThroughProxy(demo.proxyUrl, 'http://hello/', 10)) expect(body).toBe('hello from hello, and world v2\n');
  await expect(topology.edge('hello->world@v2')).toBeVisible({ timeout: 15_000 });

  await topology.openPanel('world');
  await expect(topology.routeInForce).toHaveText('all to v2');
  await expect(topology.panel.getByTestId('route-history')).toContainText('gui');
  await keepScreenshot(testInfo, 'service panel after the drag', topology.panel);

  await topology.rollback.click();
  await expect(topology.versionShare('world', 'v1')).toHaveText('100%');
  await expect(topology.edgeDrawing('hello->world@v1')).toHaveAttribute('data-retired', 'false');
  for (const body of await requestsThroughProxy(demo.proxyUrl, 'http://hello/', 10)) expect(body).toBe('hello from hello, and world v1\n');
});

test('a drop on another service is refused visibly, snaps back and changes nothing', async ({ demo, dashboard }) => {
  const topology = new TopologyPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('topology');
  await expect(topology.edge('hello->world@v1')).toBeVisible({ timeout: 20_000 });

  await topology.dragEdgeHead('hello->world@v1', topology.versionHandle('hello', 'default'));

  await expect(topology.notice).toHaveText("world's traffic can only move to another version of world, not to hello.");
  await expect(topology.notice).toHaveAttribute('role', 'alert');
  await expect(topology.edge('hello->world@v1')).toBeVisible();
  await expect(topology.versionShare('world', 'v1')).toHaveText('100%');
  for (const body of await requestsThroughProxy(demo.proxyUrl, 'http://hello/', 5)) expect(body).toBe('hello from hello, and world v1\n');
});

test('the split slider at 50/50 sends about half of 200 real requests to each version', async ({ demo, dashboard }) => {
  const topology = new TopologyPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('topology');
  await expect(topology.serviceNode('world')).toBeVisible({ timeout: 20_000 });
  await topology.openPanel('world');

  await topology.weightSlider('v2').fill('50');
  await expect(topology.routeInForce).toHaveText('v1 50% · v2 50%');
  await expect(topology.versionShare('world', 'v2')).toHaveText('50%');

  const bodies = await requestsThroughProxy(demo.proxyUrl, 'http://hello/', 200);
  const toV2 = bodies.filter((body) => body === 'hello from hello, and world v2\n').length;
  const toV1 = bodies.filter((body) => body === 'hello from hello, and world v1\n').length;
  expect(toV1 + toV2).toBe(200);
  // 200 fair coin flips: 100 ± 7 (one standard deviation). 80–120 failed a fair split about once in
  // 280 runs (a CI run on 2026-12-08 saw 78); 70–130 about once in 70,000, and still fails a 75/25
  // split (50 expected) or one stuck on a version.
  expect(toV2).toBeGreaterThanOrEqual(70);
  expect(toV2).toBeLessThanOrEqual(130);
});

test('at 1024×700 the graph and panel fit, and a service can be rerouted from the keyboard alone', async ({ demo, dashboard }) => {
  const page = dashboard.page;
  await page.setViewportSize({ width: 1024, height: 700 });
  const topology = new TopologyPage(page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('topology');
  await expect(topology.serviceNode('world')).toBeVisible({ timeout: 20_000 });

  await topology.servicePicker.focus();
  await page.keyboard.press('ArrowDown');
  await expect(topology.panel.getByRole('heading', { name: 'hello', level: 2 })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(topology.panel.getByRole('heading', { name: 'world', level: 2 })).toBeVisible();
  await topology.routeAllTo('v2').focus();
  await page.keyboard.press('Enter');
  await expect(topology.routeInForce).toHaveText('all to v2');
  await expect(topology.routeAllTo('v2')).toBeDisabled();

  const { scrollWidth, graphWidth, panelBottom } = (await page.evaluate(`({
    scrollWidth: document.documentElement.scrollWidth,
    graphWidth: document.querySelector('[data-testid="topology-graph"]').getBoundingClientRect().width,
    panelBottom: document.querySelector('[data-testid="service-panel"]').getBoundingClientRect().bottom,
  })`)) as { scrollWidth: number; graphWidth: number; panelBottom: number };
  expect(scrollWidth).toBeLessThanOrEqual(1024);
  expect(graphWidth).toBeGreaterThan(450);
  expect(panelBottom).toBeLessThanOrEqual(700);
});

test('a panel fits the view to the service and its callers at a readable size; closing it fits the whole graph again', async ({ demo, dashboard }) => {
  const page = dashboard.page;
  const topology = new TopologyPage(page);
  await dashboard.signIn(demo.loginUrl);
  await expect(topology.edge('hello->world@v1')).toBeAttached({ timeout: 20_000 });
  await expect(page.getByTestId('caller-node-traffic')).toBeVisible({ timeout: 20_000 });
  /** The nodes (callers and services) whose box sticks out of the graph's visible area. */
  const outside = () =>
    page.evaluate(`(() => {
      const view = document.querySelector('[data-testid="topology-graph"]').getBoundingClientRect();
      return [...document.querySelectorAll('[data-testid^="service-node-"], [data-testid^="caller-node-"]')]
        .filter((node) => {
          const box = node.getBoundingClientRect();
          return box.left < view.left - 1 || box.top < view.top - 1 || box.right > view.right + 1 || box.bottom > view.bottom + 1;
        })
        .map((node) => node.dataset.testid);
    })()`) as Promise<string[]>;
  /** The view's zoom, read off the drawn size of world's node against its own. */
  const zoom = () =>
    page.evaluate(`(() => {
      const node = document.querySelector('[data-testid="service-node-world"]');
      return node.getBoundingClientRect().width / node.offsetWidth;
    })()`) as Promise<number>;
  for (const size of [
    { width: 1280, height: 800 },
    { width: 1024, height: 700 },
  ]) {
    await page.setViewportSize(size);
    await expect.poll(outside).toEqual([]);
    const overview = await zoom();
    await topology.openPanel('world');
    await expect(topology.panel).toBeVisible();
    // world and hello, its caller, stay in view; the traffic generator calling hello may not.
    await expect.poll(async () => (await outside()).filter((id) => id !== 'caller-node-traffic')).toEqual([]);
    // Not drawn smaller than the overview was, nor below READABLE_ZOOM (panel-focus.ts).
    await expect.poll(zoom).toBeGreaterThanOrEqual(Math.min(overview, 0.75) - 0.01);
    await page.getByTestId('panel-close').click();
    await expect(topology.panel).toBeHidden();
    await expect.poll(outside).toEqual([]);
  }
});

test('a fault turned on in the panel fails real requests, and turning it off heals them', async ({ demo, dashboard }) => {
  const topology = new TopologyPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('topology');
  await expect(topology.serviceNode('world')).toBeVisible({ timeout: 20_000 });
  await topology.openPanel('world');

  const faults = topology.panel.getByTestId('fault-controls');
  await faults.getByTestId('fault-percent').fill('100');
  await faults.getByTestId('fault-abortStatus').fill('503');
  await faults.getByTestId('fault-submit').click();
  await expect(faults.getByTestId('fault-item')).toHaveText(/100% · answer 503 · from every caller/);
  await expect(topology.serviceNode('world')).toContainText('fault');
  for (const status of await statusesThroughProxy(demo.proxyUrl, 'http://world/', 5)) expect(status).toBe(503);

  await faults.getByRole('button', { name: /Turn off the fault/ }).click();
  await expect(faults.getByTestId('fault-item')).toHaveCount(0);
  for (const status of await statusesThroughProxy(demo.proxyUrl, 'http://world/', 5)) expect(status).toBe(200);
});

test('the panel shows the retry budget, and a version and an instance open their own golden metrics', async ({ demo, dashboard }, testInfo) => {
  const topology = new TopologyPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('topology');
  await expect(topology.serviceNode('world')).toBeVisible({ timeout: 20_000 });
  await topology.openPanel('world');

  // The demo's traffic reaches world through hello: the budget counts those requests.
  const budget = topology.panel.getByTestId('panel-retry-budget');
  await expect(budget).toHaveText(/Retry budget: \d+ retr(y|ies) left · \d+ used for [1-9]\d* requests in the last 10 s/, { timeout: 15_000 });

  await topology.panel.getByRole('button', { name: 'Show the metrics of world@v1' }).click();
  await expect(topology.panel.getByTestId('version-metrics-v1-rps')).toHaveText(/rps$/);
  const v1 = demo.instanceAddress('world v1');
  await topology.panel.getByRole('button', { name: `Show the metrics of ${v1}` }).click();
  // One open at a time: the instance's replaces the version's.
  await expect(topology.panel.getByTestId('version-metrics-v1')).toHaveCount(0);
  await expect(topology.panel.getByTestId(`instance-metrics-${v1}-success`)).toHaveText(/%$/);
  await keepScreenshot(testInfo, 'service panel with an instance open', topology.panel);
});

async function statusesThroughProxy(proxyUrl: string, url: string, count: number): Promise<number[]> {
  const agent = new ProxyAgent(proxyUrl);
  try {
    const statuses: number[] = [];
    for (let sent = 0; sent < count; sent++) {
      const answer = await request(url, { dispatcher: agent, headersTimeout: 15_000, bodyTimeout: 15_000 });
      await answer.body.dump();
      statuses.push(answer.statusCode);
    }
    return statuses;
  } finally {
    await agent.close();
  }
}
