// A mesh past LARGE_MESH_NODES (graph-layout.ts): laid out by the fast layered layout and mounted
// only once placed (topology-graph.tsx). Drawn whole, every node placed, none overlapping another,
// the caller in the first column. The dashboard is the built one, fed by the graph bench's
// stand-in admin server with a generated 120-service mesh.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startFakeAdmin, type FakeAdmin } from '../bench/graph/fake-admin.js';
import { generateMesh } from '../bench/graph/synthetic-mesh.js';
import { packageRoot } from '../main/package-root.js';

let admin: FakeAdmin;
test.beforeAll(async () => {
  admin = await startFakeAdmin(generateMesh({ services: 120, edges: 360, totalRps: 1_000 }), path.join(packageRoot(), 'dist', 'renderer'));
});
test.afterAll(() => admin.close());

test('a 120-service mesh is drawn whole, every node placed and none overlapping', async ({ page }) => {
  await page.goto(`${admin.url}/#/topology`);
  const graph = page.getByTestId('topology-graph');
  // 120 services and the caller `shell`; one edge per caller and version.
  await expect(graph.locator('.react-flow__node')).toHaveCount(121, { timeout: 30_000 });
  await expect(graph.locator('.react-flow__edge')).toHaveCount(360);
  await expect(graph).not.toHaveClass(/laying-out/);
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
  const shell = boxes.find((box) => box.id.startsWith('caller:'));
  expect(shell).toBeDefined();
  // The caller in the first column: no node's centre left of it (services nobody calls share it).
  const centre = (box: { left: number; right: number }) => (box.left + box.right) / 2;
  for (const box of boxes) expect(centre(box)).toBeGreaterThanOrEqual(centre(shell ?? box) - 0.5);
});
