/**
 * The dashboard around the graph: the first-run state of an empty mesh, graph export as SVG and
 * PNG (real downloads, checked as files), and settings that persist in the browser (theme,
 * health thresholds that recolour the live edges). Run:
 * `npm run build && npx playwright test e2e/topology-settings.spec.ts`.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { keepScreenshot } from './fixtures/screenshots.js';
import { TopologyPage } from './pages/topology-page.js';

test('an empty mesh shows the first-run steps; "Load the demo" fills the graph and Settings unloads it', async ({ serveWithConfig, dashboard }) => {
  const mesh = await serveWithConfig('services: {}\n');
  const page = dashboard.page;
  const topology = new TopologyPage(page);
  await dashboard.signIn(mesh.loginUrl);
  await dashboard.open('topology');

  await expect(topology.firstRun).toBeVisible();
  await expect(topology.firstRun.getByTestId('first-run-export-line')).toHaveText(`export http_proxy=${mesh.proxyUrl}`);
  await expect(topology.graph).toHaveCount(0);

  await topology.firstRun.getByRole('button', { name: 'Load the demo' }).click();
  // The demo's traffic generator calls hello, which calls world: real edges through this mesh.
  await expect(topology.edge('hello->world@v1')).toBeVisible({ timeout: 20_000 });
  await expect(topology.firstRun).toHaveCount(0);

  await dashboard.open('services');
  await expect(page.getByTestId('service-row-world').getByTestId('instance-origin')).toHaveText(['demo', 'demo']);
  await dashboard.open('settings');
  await page.getByRole('button', { name: 'Unload the demo' }).click();
  await expect(page.getByTestId('settings-demo')).toHaveCount(0);
  await dashboard.open('services');
  await expect(page.getByTestId('no-services')).toBeVisible();
});

test('the graph exports as an SVG and a PNG file', async ({ demo, dashboard }) => {
  const page = dashboard.page;
  const topology = new TopologyPage(page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('topology');
  // Once traffic has reached world the graph is complete and holds still, so both files draw the same graph.
  await expect(topology.edge('hello->world@v1')).toBeVisible({ timeout: 20_000 });

  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  expect(svgDownload.suggestedFilename()).toMatch(/^meshdesk-topology-.*\.svg$/);
  const svg = await readFile(await svgDownload.path(), 'utf8');
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('data-id="svc:world"');
  expect(svg).toContain('>world</text>');

  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  expect(pngDownload.suggestedFilename()).toMatch(/\.png$/);
  const png = await readFile(await pngDownload.path());
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  // IHDR: twice the SVG's size.
  const width = png.readUInt32BE(16);
  expect(width).toBe(2 * Number(/width="(\d+)"/.exec(svg)?.[1]));
});

test('the theme follows the operating system live until one is picked', async ({ demo, dashboard }) => {
  const page = dashboard.page;
  const topology = new TopologyPage(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('settings');
  await expect(page.getByTestId('theme-system')).toBeChecked();
  await expect(page.getByTestId('theme-in-force')).toHaveText('In force: dark');
  const body = page.locator('body');
  const dark = await body.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).backgroundColor ?? '');
  expect(dark).not.toBe('');

  // The OS switches while the dashboard is open: it follows at once, graph included.
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.getByTestId('theme-in-force')).toHaveText('In force: light');
  await expect(body).not.toHaveCSS('background-color', dark);
  await dashboard.open('topology');
  await expect(topology.graph.locator('.react-flow')).toHaveClass(/\blight\b/);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(topology.graph.locator('.react-flow')).toHaveClass(/\bdark\b/);

  // A picked theme wins over the OS.
  await dashboard.open('settings');
  await page.getByTestId('theme-light').check();
  await expect(page.getByTestId('theme-in-force')).toHaveText('In force: light');
  await expect(body).not.toHaveCSS('background-color', dark);
});

test('theme and thresholds persist across a reload, and the thresholds recolour the live edges', async ({ demo, dashboard }) => {
  const page = dashboard.page;
  const topology = new TopologyPage(page);
  // world v1 starts failing about half of its requests (the demo service's own control endpoint, called directly).
  const control = await fetch(`http://${demo.instanceAddress('world v1')}/control/fail?rate=0.5`, { method: 'POST' });
  expect(control.status).toBe(200);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('topology');
  const edge = topology.edgeDrawing('hello->world@v1');
  // Below the default 95%: red (retries, if any, cannot lift 50% failures that high).
  await expect(edge).toHaveAttribute('data-health', 'bad', { timeout: 30_000 });

  await dashboard.open('settings');
  await page.getByTestId('theme-dark').check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('threshold-warn').fill('30');
  await page.getByTestId('threshold-error').fill('20');
  await page.getByTestId('thresholds-save').click();

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('theme-dark')).toBeChecked();
  await expect(page.getByTestId('threshold-warn')).toHaveValue('30');
  await expect(page.getByTestId('threshold-error')).toHaveValue('20');

  await dashboard.open('topology');
  await expect(edge).toHaveAttribute('data-health', 'good', { timeout: 15_000 });

  await dashboard.open('settings');
  await page.getByTestId('threshold-warn').fill('90');
  await page.getByTestId('threshold-error').fill('99');
  await page.getByTestId('thresholds-save').click();
  await expect(page.getByRole('alert').filter({ hasText: 'red threshold' })).toBeVisible();
});

test('a node the user moved is where they left it after a reload; Re-layout places it afresh', async ({ demo, dashboard }, testInfo) => {
  const page = dashboard.page;
  const topology = new TopologyPage(page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('topology');
  const world = topology.serviceNode('world');
  await expect(world).toBeVisible({ timeout: 20_000 });
  // React Flow places a node with a translate() of its flow position, whatever the view's zoom.
  const node = page.locator('.react-flow__node[data-id="svc:world"]');
  const place = () => node.evaluate((element) => /translate\([^)]*\)/.exec(element.getAttribute('style') ?? '')?.[0] ?? '');
  await expect.poll(place).toMatch(/^translate\(/);
  const laidOut = await place();

  // Dragged by its header, as a user does (a click would open the panel; the handles start a reroute).
  const box = await world.boundingBox();
  if (!box) throw new Error('world is not on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + 12);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 60, box.y + 140, { steps: 12 });
  await page.mouse.up();
  await expect.poll(place).not.toBe(laidOut);
  // Moving a node is not a click on it: no panel opens.
  await expect(topology.panel).toHaveCount(0);
  const moved = await place();

  await page.reload();
  await expect(world).toBeVisible({ timeout: 20_000 });
  await expect.poll(place).toBe(moved);
  await keepScreenshot(testInfo, 'moved node after reload', page);

  await page.getByTestId('relayout').click();
  await expect.poll(place).not.toBe(moved);
  await page.reload();
  await expect(world).toBeVisible({ timeout: 20_000 });
  await expect.poll(place).not.toBe(moved);
});
