// What a screenshot cannot say about the graph, measured in the browser: the edge labels' pills
// as drawn (their boxes on screen) overlap neither each other nor a node, in the demo with real
// traffic and in a generated 50-service mesh zoomed in to where labels are drawn. The placement
// itself is unit-tested (edge-label-placement.test.ts); this holds the drawing to it.
import path from 'node:path';
import { test as plainTest, type Page } from '@playwright/test';
import { startFakeAdmin, type FakeAdmin } from '../bench/graph/fake-admin.js';
import { generateMesh } from '../bench/graph/synthetic-mesh.js';
import { packageRoot } from '../main/package-root.js';
import { requestsThroughProxy } from './fixtures/http-clients.js';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { TopologyPage } from './pages/topology-page.js';

interface Box {
  id: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Label pills and node boxes as the browser laid them out, in screen pixels. */
async function drawnBoxes(page: Page): Promise<{ labels: Box[]; nodes: Box[] }> {
  const labels = await page.locator('.edge-labels .traffic-label rect').evaluateAll((rects) =>
    rects.map((rect) => {
      const { left, top, right, bottom } = rect.getBoundingClientRect();
      return { id: rect.parentElement?.querySelector('text')?.getAttribute('data-testid') ?? '?', left, top, right, bottom };
    }),
  );
  const nodes = await page.locator('.react-flow__node').evaluateAll((elements) =>
    elements.map((node) => {
      const { left, top, right, bottom } = node.getBoundingClientRect();
      return { id: node.getAttribute('data-id') ?? '?', left, top, right, bottom };
    }),
  );
  return { labels, nodes };
}

/** Pairs whose boxes share more than half a pixel each way (touching edges do not count). */
function overlapping(a: Box[], b: Box[], same: boolean): string[] {
  const pairs: string[] = [];
  a.forEach((one, i) => {
    for (const other of same ? b.slice(i + 1) : b) {
      const apart = one.right - 0.5 <= other.left || other.right - 0.5 <= one.left || one.bottom - 0.5 <= other.top || other.bottom - 0.5 <= one.top;
      if (!apart) pairs.push(`${one.id} × ${other.id}`);
    }
  });
  return pairs;
}

test('in the demo with traffic on every edge, no two edge labels overlap, and none covers a node', async ({ demo, dashboard }) => {
  const topology = new TopologyPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('topology');
  await expect(topology.edgeLabel('hello->world@v1')).toBeVisible({ timeout: 20_000 });
  await requestsThroughProxy(demo.proxyUrl, 'http://hello/', 20);
  // Let the view settle after the first fit: label boxes are compared where they end up.
  await dashboard.page.waitForTimeout(1_000);
  const { labels, nodes } = await drawnBoxes(dashboard.page);
  expect(labels.length).toBeGreaterThanOrEqual(2);
  expect(overlapping(labels, labels, true)).toEqual([]);
  expect(overlapping(labels, nodes, false)).toEqual([]);
});

plainTest.describe('a generated 50-service mesh', () => {
  let admin: FakeAdmin;
  plainTest.beforeAll(async () => {
    admin = await startFakeAdmin(generateMesh({ services: 50, edges: 150, totalRps: 2_000 }), path.join(packageRoot(), 'dist', 'renderer'));
  });
  plainTest.afterAll(() => admin.close());

  plainTest('zoomed in to where labels are drawn, no two overlap and none covers a node', async ({ page }) => {
    await page.goto(`${admin.url}/#/topology`);
    const graph = page.getByTestId('topology-graph');
    await expect(graph.locator('.react-flow__node')).toHaveCount(51, { timeout: 30_000 });
    await expect(graph).not.toHaveClass(/laying-out/);
    const pane = await graph.boundingBox();
    if (!pane) throw new Error('no graph on screen');
    await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
    for (let tick = 0; tick < 20 && (await page.locator('.edge-labels .traffic-label').count()) < 5; tick++) {
      await page.mouse.wheel(0, -200);
      await page.waitForTimeout(150);
    }
    await page.waitForTimeout(500);
    const { labels, nodes } = await drawnBoxes(page);
    expect(labels.length).toBeGreaterThanOrEqual(5);
    expect(overlapping(labels, labels, true)).toEqual([]);
    expect(overlapping(labels, nodes, false)).toEqual([]);
  });
});
