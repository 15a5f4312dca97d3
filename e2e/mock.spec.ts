/**
 * Record-to-mock in the dashboard against a real `meshdesk serve` and a real `world`: real traffic,
 * "Save as mock" in world's panel (the HAR lands in the workspace's mocks/), world's process
 * stopped, the edge dragged onto `world@recorded`, and real requests answered by the mesh — the
 * recorded one as it was, an unrecorded one with a clear 404 — counted in the panel and on the graph.
 * Screenshots of the panel and graph at 1280×800 and 1024×700, light and dark.
 * Run: `npm run build && npx playwright test e2e/mock.spec.ts`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ProxyAgent, request } from 'undici';
import type { Answer } from './fixtures/http-clients.js';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { screenshotEachLook } from './fixtures/screenshots.js';
import { startTextServer } from './fixtures/text-server.js';
import { TopologyPage } from './pages/topology-page.js';

test.describe.configure({ timeout: 90_000 });

/**
 * GET through the proxy as the shell. The caller is named: this test's own process also serves
 * world, so the OS would attribute the calls to world itself.
 */
async function getViaProxyAgent(proxyUrl: string, url: string): Promise<Answer> {
  const agent = new ProxyAgent(proxyUrl);
  try {
    const answer = await request(url, { dispatcher: agent, headers: { 'x-meshdesk-caller': 'shell' }, headersTimeout: 15_000, bodyTimeout: 15_000 });
    return { status: answer.statusCode, body: await answer.body.text() };
  } finally {
    await agent.close();
  }
}

test('"Save as mock", then drag to recorded: world answers from its recording with its process stopped', async ({ serveWithConfig, dashboard }, testInfo) => {
  const world = await startTextServer('hello from world v1\n');
  const mesh = await serveWithConfig(`services:\n  world:\n    versions:\n      v1: { instances: [${world.address}] }\n`);
  const { page } = dashboard;
  await page.setViewportSize({ width: 1280, height: 800 });
  await dashboard.signIn(mesh.loginUrl);
  const topology = new TopologyPage(page);
  for (let i = 0; i < 3; i++) expect((await getViaProxyAgent(mesh.proxyUrl, 'http://world/greeting')).body).toBe('hello from world v1\n');
  await expect(topology.edge('shell->world@v1')).toBeVisible({ timeout: 20_000 });

  await topology.openPanel('world');
  const mock = topology.panel.getByTestId('mock-controls');
  await mock.getByRole('button', { name: 'Save as mock' }).click();
  await expect(mock.getByTestId('mock-message')).toHaveText(/^Saved 3 exchanges to .*mocks\/world\.har\.$/);
  expect(existsSync(path.join(path.dirname(mesh.configFile), 'mocks', 'world.har'))).toBe(true);
  await expect(mock.getByTestId('mock-summary')).toContainText('3 recorded exchanges from mocks/world.har as world@recorded');
  // A version of its own, drawn as a mock; routing is left as it was.
  const recorded = page.getByTestId('version-target-world-recorded');
  await expect(recorded).toHaveAttribute('data-mock', 'true');
  await expect(topology.versionShare('world', 'v1')).toHaveText('100%');

  await world.close();
  await topology.dragEdgeHead('shell->world@v1', topology.versionHandle('world', 'recorded'));
  await expect(topology.versionShare('world', 'recorded')).toHaveText('100%');
  for (let i = 0; i < 4; i++) expect(await getViaProxyAgent(mesh.proxyUrl, 'http://world/greeting')).toEqual({ status: 200, body: 'hello from world v1\n' });
  const missed = await getViaProxyAgent(mesh.proxyUrl, 'http://world/unrecorded?x=1');
  expect(missed.status).toBe(404);
  expect(missed.body).toContain('nothing recorded matches GET /unrecorded?x=1');
  expect(missed.body).toContain('  GET /greeting');

  await expect(mock.getByTestId('mock-counts')).toHaveText('4 hits · 1 miss', { timeout: 10_000 });
  await expect(mock.getByTestId('mock-misses')).toContainText('GET /unrecorded?x=1');
  await expect(page.getByTestId('mock-tally-world')).toHaveText('4 hits · 1 miss');
  await expect(topology.edge('shell->world@recorded')).toBeVisible({ timeout: 15_000 });
  // v1 still has recent traffic in the stats, but the route sends it nothing: drawn as history.
  await expect(topology.edgeDrawing('shell->world@v1')).toHaveAttribute('data-retired', 'true');

  await screenshotEachLook(testInfo, page, 'mock panel and graph', () => mock.scrollIntoViewIfNeeded());

  await mock.getByRole('button', { name: 'Stop mock' }).click();
  // The route still names `recorded` and its traffic is in the window: drawn as gone, no longer a mock.
  await expect(recorded).toHaveClass(/gone/);
  await expect(recorded).not.toHaveAttribute('data-mock', 'true');
  await expect(mock.getByRole('button', { name: 'Save as mock' })).toBeVisible();
});
