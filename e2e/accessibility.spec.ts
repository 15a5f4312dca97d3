/**
 * Accessibility of every page of the dashboard against the running demo: axe-core (the engine of
 * Lighthouse's and Deque's audits) with the WCAG 2.1 A and AA rules, in the light and the dark
 * theme, with the views a user opens (a service panel, an edge panel, a request's detail pane).
 * No serious or critical violation is allowed; each one found is printed with its elements. The
 * bypass panel is checked in topology-bypass.spec.ts, where a real bypass opens it.
 * Run: `npm run build && npx playwright test e2e/accessibility.spec.ts`.
 */
import { seriousViolations } from './fixtures/axe.js';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { RequestsPage } from './pages/requests-page.js';
import { TopologyPage } from './pages/topology-page.js';

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every page and panel has no serious or critical WCAG 2.1 AA violation (${colorScheme})`, async ({ demo, dashboard }) => {
    const { page } = dashboard;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await dashboard.signIn(demo.loginUrl);
    const topology = new TopologyPage(page);
    await expect(topology.serviceNode('world')).toBeVisible({ timeout: 20_000 });
    await expect(topology.edge('hello->world@v1')).toBeAttached({ timeout: 20_000 });
    const found: Record<string, string[]> = {};
    found.topology = await seriousViolations(page);

    await topology.openPanel('world');
    found['service panel'] = await seriousViolations(page);
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

    expect(Object.fromEntries(Object.entries(found).filter(([, lines]) => lines.length > 0))).toEqual({});
  });
}
