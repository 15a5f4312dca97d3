// A mesh past LARGE_MESH_NODES (graph-layout.ts): laid out by the fast layered layout, drawn whole
// on the overview canvas while zoomed out too far to read (overview-scene.ts), and as React Flow
// nodes, only those in view, once zoomed in. The dashboard is the built one, fed by the graph
// bench's stand-in admin server with a generated 120-service mesh.
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startFakeAdmin, type FakeAdmin } from '../bench/graph/fake-admin.js';
import { generateMesh } from '../bench/graph/synthetic-mesh.js';
import { packageRoot } from '../main/package-root.js';

let admin: FakeAdmin;
test.beforeAll(async () => {
  admin = await startFakeAdmin(generateMesh({ services: 120, edges: 360, totalRps: 1_000 }), path.join(packageRoot(), 'dist', 'renderer'));
});
test.afterAll(() => admin.close());

/** 120 services and the caller `shell`; one edge per caller and version. */
const WHOLE = '121/360';

async function openOverview(page: Page) {
  await page.goto(`${admin.url}/#/topology`);
  const graph = page.getByTestId('topology-graph');
  await expect(page.getByTestId('overview-canvas')).toHaveAttribute('data-drawn', WHOLE, { timeout: 30_000 });
  await expect(graph).not.toHaveClass(/laying-out/);
  return graph;
}

test('a 120-service mesh fitted whole is drawn as an overview, with no node mounted', async ({ page }) => {
  const graph = await openOverview(page);
  await expect(graph.locator('.react-flow__node')).toHaveCount(0);
  await expect(graph.locator('.react-flow__edge')).toHaveCount(0);
  await expect(page.getByTestId('overview-canvas')).toHaveAttribute('aria-label', /Overview of 121 nodes and 360 edges/);
  // No traffic dots move on the map: nothing one could follow at that size, and a fifth of a core to draw.
  await expect(page.getByTestId('flow-canvas')).toHaveAttribute('data-paths', '0');
  // The live feed redraws it: the stats arrive every second.
  const draws = Number(await page.getByTestId('overview-canvas').getAttribute('data-draws'));
  await expect.poll(async () => Number(await page.getByTestId('overview-canvas').getAttribute('data-draws')), { timeout: 5_000 }).toBeGreaterThan(draws);
});

test('zoomed in, the nodes in view are mounted, placed and not overlapping; the fit button brings the overview back', async ({ page }) => {
  const graph = await openOverview(page);
  const pane = await graph.boundingBox();
  if (!pane) throw new Error('no graph on screen');
  await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
  for (let tick = 0; tick < 30 && (await graph.locator('.react-flow__node').count()) === 0; tick++) {
    await page.mouse.wheel(0, -200);
    await page.waitForTimeout(100);
  }
  await expect(page.getByTestId('overview-canvas')).toHaveCount(0);
  // Zoomed in, the traffic moves along the edges again.
  await expect.poll(async () => Number(await page.getByTestId('flow-canvas').getAttribute('data-paths'))).toBeGreaterThan(0);
  const mounted = await graph.locator('.react-flow__node').count();
  expect(mounted).toBeGreaterThan(0);
  // Only what is in view: a mesh this size zoomed in to a readable size never fits whole.
  expect(mounted).toBeLessThan(121);
  await expect(graph.locator('.unplaced')).toHaveCount(0);

  const boxes = await graph.locator('.react-flow__node').evaluateAll((nodes) =>
    nodes.map((node) => {
      const box = node.getBoundingClientRect();
      return { id: node.getAttribute('data-id') ?? '', left: box.left, top: box.top, right: box.right, bottom: box.bottom };
    }),
  );
  const overlapping = boxes.flatMap((a, i) =>
    boxes
      .slice(i + 1)
      .filter((b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
      .map((b) => `${a.id} × ${b.id}`),
  );
  expect(overlapping).toEqual([]);

  await page.getByRole('button', { name: /fit view/i }).click();
  await expect(page.getByTestId('overview-canvas')).toHaveAttribute('data-drawn', WHOLE);
  await expect(graph.locator('.react-flow__node')).toHaveCount(0);
  await expect(page.getByTestId('flow-canvas')).toHaveAttribute('data-paths', '0');
});

test('hovering a node of the overview names it, and a click opens its panel', async ({ page }) => {
  const graph = await openOverview(page);
  const pane = await graph.boundingBox();
  if (!pane) throw new Error('no graph on screen');
  // The fitted mesh is a band across the middle of the pane: sweep it until the pointer is on a
  // service (the caller `shell` has no service panel).
  const tooltip = page.getByRole('tooltip');
  let found: { x: number; y: number; name: string } | null = null;
  for (let dy = 0; dy <= 40 && !found; dy += 4) {
    for (let x = pane.x + 40; x < pane.x + pane.width - 40 && !found; x += 3) {
      for (const y of [pane.y + pane.height / 2 - dy, pane.y + pane.height / 2 + dy]) {
        await page.mouse.move(x, y);
        const name = (await tooltip.isVisible()) ? await tooltip.locator('strong').textContent() : null;
        if (name?.startsWith('svc-')) {
          found = { x, y, name };
          break;
        }
      }
    }
  }
  if (!found) throw new Error('no service of the overview under the pointer anywhere along the band');
  await expect(tooltip).toContainText(/rps · \d/);

  await page.mouse.click(found.x, found.y);
  await expect(page.getByTestId('service-panel').getByRole('heading', { level: 2 })).toHaveText(found.name);
});
