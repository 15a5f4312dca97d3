/**
 * Accessibility of every page of the dashboard against the running demo: axe-core (the engine of
 * Lighthouse's and Deque's audits) with the WCAG 2.1 A and AA rules, in the light and the dark
 * theme, with the views a user opens (a service panel, its shadow switch on, an edge panel, a
 * request's detail pane, the Diffs page empty and with a pair side by side).
 * No serious or critical violation is allowed; each one found is printed with its elements. The
 * bypass panel is checked in topology-bypass.spec.ts, where a real bypass opens it.
 * Run: `npm run build && npx playwright test e2e/accessibility.spec.ts`.
 */
import { seriousViolations } from './fixtures/axe.js';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { DiffsPage } from './pages/diffs-page.js';
import { RequestsPage } from './pages/requests-page.js';
import { TopologyPage } from './pages/topology-page.js';

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every page and panel has no serious or critical WCAG 2.1 AA violation (${colorScheme})`, async ({ demo, dashboard }) => {
    // Ten axe-core scans of a page with a live graph take 40-60 s on a busy two-core machine.
    test.setTimeout(150_000);
    const { page } = dashboard;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await dashboard.signIn(demo.loginUrl);
    const topology = new TopologyPage(page);
    await expect(topology.serviceNode('world')).toBeVisible({ timeout: 20_000 });
    await expect(topology.edge('hello->world@v1')).toBeAttached({ timeout: 20_000 });
    const found: Record<string, string[]> = {};
    found.topology = await seriousViolations(page);
    const diffs = new DiffsPage(page);
    await diffs.open();
    await expect(diffs.empty).toBeVisible();
    found['diffs empty'] = await seriousViolations(page);
    await dashboard.open('topology');

    await topology.openPanel('world');
    found['service panel'] = await seriousViolations(page);
    // Shadow v2 on: the demo's own traffic then gives the Diffs page real pairs, checked below.
    const shadowV2 = topology.panel.getByRole('switch', { name: 'Shadow v2' });
    await shadowV2.click();
    await expect(shadowV2).toHaveAttribute('aria-checked', 'true');
    found['service panel shadowing'] = await seriousViolations(page);
    await page.getByTestId('panel-close').click();
    await topology.clickEdge('hello->world@v1');
    found['edge panel'] = await seriousViolations(page);

    await dashboard.open('requests');
    const requests = new RequestsPage(page);
    await expect(requests.rows.first()).toBeVisible({ timeout: 20_000 });
    await requests.rows.first().click();
    await expect(requests.detail).toBeVisible();
    found['requests with detail'] = await seriousViolations(page);

    await dashboard.open('services');
    found.services = await seriousViolations(page);
    await dashboard.open('settings');
    found.settings = await seriousViolations(page);

    await diffs.open();
    await expect(diffs.endpoints.first()).toBeVisible({ timeout: 20_000 });
    found.diffs = await seriousViolations(page);
    await diffs.endpoints.first().getByTestId('endpoint-pairs').click();
    await diffs.pairRows.first().getByRole('button', { name: 'Compare' }).click();
    await expect(diffs.pair.getByTestId('pair-comparison')).toBeVisible();
    found['diffs with a pair'] = await seriousViolations(page);

    expect(Object.fromEntries(Object.entries(found).filter(([, lines]) => lines.length > 0))).toEqual({});
  });
}
