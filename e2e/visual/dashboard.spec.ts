/**
 * Visual regression: the dashboard's pages and panels as pictures, compared with the committed
 * baselines in e2e/visual/baselines/, in the light and the dark theme at 1280×800 and 1024×700.
 * The built dashboard (dist/renderer) is served by a stand-in admin server with a fixed mesh
 * (../fixtures/synthetic-mesh.ts), its clock frozen, motion reduced: see visual-fixtures.ts.
 *
 * Run: `npm run build:renderer && npx playwright test e2e/visual`.
 * After an intended UI change: `npx playwright test e2e/visual --update-snapshots=all`, look at the
 * new pictures, commit them with the change. (`=all`: plain `--update-snapshots` rewrites only the
 * pictures that fail, and leaves a small change under the tolerance in the old ones.)
 */
import { DETAIL_EXCHANGE_ID, EXCHANGE_COUNT } from '../fixtures/synthetic-mesh.js';
import { expect, expectLook, graphSettled, lookName, LOOKS, test } from './visual-fixtures.js';

for (const look of LOOKS) {
  test.describe(lookName(look), () => {
    test.use({
      colorScheme: look.colorScheme,
      viewport: { width: look.width, height: look.height },
      deviceScaleFactor: 1,
      reducedMotion: 'reduce',
      timezoneId: 'UTC',
      locale: 'en-US',
    });

    test('topology', async ({ openDashboard }) => {
      const page = await openDashboard('#/topology');
      await graphSettled(page);
      await expect(page.getByTestId('edge-label-web->orders@v2')).toBeVisible();
      await expectLook(page, 'topology', look);
    });

    test('service panel', async ({ openDashboard }) => {
      const page = await openDashboard('#/topology?service=orders');
      await expect(page.getByTestId('service-panel').getByRole('heading', { name: 'orders', level: 2 })).toBeVisible();
      await graphSettled(page);
      await expectLook(page, 'service-panel', look);
    });

    test('edge panel', async ({ openDashboard }) => {
      const page = await openDashboard(`#/topology?${new URLSearchParams({ edge: 'web->orders@v2' }).toString()}`);
      await expect(page.getByTestId('edge-panel').getByRole('heading', { name: 'web → orders@v2', level: 2 })).toBeVisible();
      await graphSettled(page);
      await expectLook(page, 'edge-panel', look);
    });

    test('requests with the detail pane', async ({ openDashboard }) => {
      const page = await openDashboard('#/requests');
      await expect(page.getByTestId('log-table')).toHaveAttribute('data-row-count', String(EXCHANGE_COUNT));
      await expect(page.getByTestId('log-counters')).not.toContainText('loading history');
      await page.locator(`[data-testid="log-row"][data-id="${DETAIL_EXCHANGE_ID}"]`).click();
      const detail = page.getByTestId('exchange-detail');
      await expect(detail).toHaveAttribute('data-id', String(DETAIL_EXCHANGE_ID));
      await expect(detail.getByTestId('decision-trace')).toBeVisible();
      await expectLook(page, 'requests-detail', look);
    });

    test('services', async ({ openDashboard }) => {
      const page = await openDashboard('#/services');
      await expect(page.getByTestId('service-row-inventory')).toHaveCount(2);
      await expectLook(page, 'services', look);
    });

    test('settings', async ({ openDashboard }) => {
      const page = await openDashboard('#/settings');
      await expect(page.getByTestId('nav-settings')).toHaveAttribute('aria-current', 'page');
      await expect(page.getByText('http://127.0.0.1:9990')).toBeVisible();
      await expectLook(page, 'settings', look);
    });
  });
}
