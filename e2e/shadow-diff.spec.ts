/**
 * Shadow traffic and its diffs in the dashboard, against a real `meshdesk serve` and a real `world`
 * whose v1 and v2 are HTTP servers started here: both answer JSON with a per-call timestamp, and v2
 * gives another value for one field. "Shadow v2" is switched on in world's panel; real GETs through
 * the proxy are answered by v1 only, while the mesh copies them to v2 and compares. The Diffs page
 * then shows the endpoint with the field that differs, the timestamp set apart as noise (learnt from
 * second copies sent to v1), a pair side by side; the Requests page tags the copies "shadow".
 * Screenshots of the panel and the page at 1280×800 and 1024×700, light and dark.
 * Run: `npm run build && npx playwright test e2e/shadow-diff.spec.ts`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProxyAgent, request } from 'undici';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { keepScreenshot, screenshotEachLook } from './fixtures/screenshots.js';
import { DiffsPage } from './pages/diffs-page.js';
import { RequestsPage } from './pages/requests-page.js';
import { TopologyPage } from './pages/topology-page.js';

test.describe.configure({ timeout: 120_000 });

interface JsonServer {
  address: string;
  close(): Promise<void>;
}

/** A version of `world`: a user's plan (the field v2 changes) and when it answered (differs on every call). */
async function startWorld(plan: string): Promise<JsonServer> {
  let calls = 0;
  const server = createServer((req, res) => {
    const id = /^\/users\/(\d+)/.exec(req.url ?? '')?.[1] ?? '0';
    res.writeHead(200, { 'content-type': 'application/json' });
    // Strictly increasing, so two calls in the same millisecond still differ.
    res.end(JSON.stringify({ user: { id: Number(id), name: 'Ada', plan }, servedAt: Date.now() * 1000 + (calls++ % 1000) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * GETs through the proxy, ten at a time, as the shell. The caller is named: this test's own process
 * serves world, so the OS would attribute the calls to world itself. Returns the plans answered.
 */
async function getUsers(proxyUrl: string, paths: string[]): Promise<string[]> {
  const agent = new ProxyAgent(proxyUrl);
  try {
    const plans: string[] = [];
    for (let sent = 0; sent < paths.length; sent += 10) {
      const batch = paths.slice(sent, sent + 10).map(async (path) => {
        const answer = await request(`http://world${path}`, {
          dispatcher: agent,
          headers: { 'x-meshdesk-caller': 'shell' },
          headersTimeout: 15_000,
          bodyTimeout: 15_000,
        });
        expect(answer.statusCode).toBe(200);
        return ((await answer.body.json()) as { user: { plan: string } }).user.plan;
      });
      plans.push(...(await Promise.all(batch)));
    }
    return plans;
  } finally {
    await agent.close();
  }
}

test('"Shadow v2" copies world’s GETs to v2; the Diffs page shows the field that differs, the timestamp as noise, a pair side by side', async ({
  serveWithConfig,
  dashboard,
}, testInfo) => {
  const v1 = await startWorld('free');
  const v2 = await startWorld('pro');
  try {
    const mesh = await serveWithConfig(
      `services:\n  world:\n    versions:\n      v1: { instances: [${v1.address}] }\n      v2: { instances: [${v2.address}] }\n`,
    );
    const { page } = dashboard;
    await page.setViewportSize({ width: 1280, height: 800 });
    await dashboard.signIn(mesh.loginUrl);
    const topology = new TopologyPage(page);
    expect(await getUsers(mesh.proxyUrl, ['/users/1', '/users/2'])).toEqual(['free', 'free']);
    await expect(topology.edge('shell->world@v1')).toBeVisible({ timeout: 20_000 });

    // The Diffs page before any shadow: words a newcomer understands, naming world's own v2.
    const diffs = new DiffsPage(page);
    await diffs.open();
    await expect(diffs.empty).toContainText(
      'No shadow traffic yet. Turn on ‘Shadow v2’ in a service’s panel on the Topology page, or run meshdesk shadow start world --to v2.',
    );
    await keepScreenshot(testInfo, 'diffs page empty light 1280x800', page);
    await dashboard.open('topology');

    await topology.openPanel('world');
    const shadow = topology.panel.getByTestId('shadow-controls');
    const toV2 = shadow.getByRole('switch', { name: 'Shadow v2' });
    await expect(toV2).toHaveAttribute('aria-checked', 'false');
    // v1 takes all the traffic: it is what v2 is compared with, so it has no switch of its own.
    await expect(shadow.getByRole('switch')).toHaveCount(1);
    await toV2.click();
    await expect(toV2).toHaveAttribute('aria-checked', 'true');
    await expect(shadow.getByTestId('shadow-summary')).toContainText("Copying 100% of v1's GET/HEAD/OPTIONS to v2 · 0 compared");

    // The caller only ever gets v1's answers; each is copied to v2 and the pair compared.
    const paths = Array.from({ length: 24 }, (_, index) => `/users/${(index % 6) + 1}`);
    expect(new Set(await getUsers(mesh.proxyUrl, paths))).toEqual(new Set(['free']));
    await expect(shadow.getByTestId('shadow-counts')).toHaveText('24 compared · 100% differ', { timeout: 15_000 });
    await expect(shadow.getByTestId('shadow-warning')).toHaveCount(0);
    await screenshotEachLook(testInfo, page, 'panel shadow on', () => shadow.scrollIntoViewIfNeeded());

    await shadow.getByRole('link', { name: 'Open diffs' }).click();
    await expect(page).toHaveURL(/#\/diffs\?service=world$/);
    await expect(diffs.servicePicker).toHaveValue('world');
    await expect(diffs.ruleLine).toContainText("Copying 100% of v1's GET/HEAD/OPTIONS to v2");
    await expect(diffs.stats.getByTestId('stat-pairs')).toHaveText('24');
    await expect(diffs.stats.getByTestId('stat-differing')).toHaveText('100% (24)');
    const users = diffs.endpoint('GET', '/users/{id}');
    await expect(users.getByTestId('endpoint-pair-count')).toHaveText('24');
    await expect(users.getByTestId('endpoint-differing')).toHaveText('100%');
    // The plan differs in every pair; the timestamp differs too, but between two answers of v1 as
    // well: it is noise, shown apart and not counted.
    await expect.poll(() => diffs.fieldNames(diffs.differingFields(users))).toEqual(['body.user.plan']);
    await expect(diffs.differingFields(users)).toHaveText(['body.user.plan ×24']);
    await expect.poll(() => diffs.fieldNames(diffs.noisyFields(users))).toContain('body.servedAt');
    await expect(diffs.noisyFields(users).filter({ hasText: 'body.servedAt' })).toContainText('noise');

    // The pairs where the plan differs, then the newest side by side.
    await diffs.differingFields(users).first().click();
    await expect(diffs.pairRows).toHaveCount(24);
    await expect(diffs.pairRows.first()).toHaveAttribute('data-verdict', 'different');
    await diffs.pairRows.first().getByRole('button', { name: 'Compare' }).click();
    await expect(diffs.pair.getByTestId('pair-verdict')).toHaveText('differs');
    await expect(diffs.pairDifference('body.user.plan')).toContainText('"free"');
    await expect(diffs.pairDifference('body.user.plan')).toContainText('"pro"');
    await expect(diffs.pairDifference('body.user.plan')).not.toContainText('noise');
    await expect(diffs.pairDifference('body.servedAt')).toContainText('noise');
    const comparison = diffs.pair.getByTestId('pair-comparison');
    await expect(comparison.getByTestId('primary-status')).toHaveText('200');
    await expect(comparison.getByTestId('shadow-status')).toHaveText('200');
    await expect(comparison.getByTestId('shadow-served-by')).toContainText('world@v2');
    // Bodies pretty-printed with sorted keys: the plan's line is changed on both sides, the name's is not.
    await expect(comparison.locator('[data-testid="diff-left"].removed', { hasText: '"plan": "free"' })).toBeVisible();
    await expect(comparison.locator('[data-testid="diff-right"].added', { hasText: '"plan": "pro"' })).toBeVisible();
    await expect(comparison.locator('[data-testid="diff-left"].same', { hasText: '"name": "Ada"' })).toBeVisible();
    // The timestamp's line changed too, by noise only: dimmed, not highlighted like the plan's.
    await expect(comparison.locator('.diff-row.quiet')).toHaveCount(1);
    await expect(comparison.locator('.diff-row.quiet')).toContainText('"servedAt"');
    // Headers that differ between any two answers (date) are shown but not marked changed.
    await expect(comparison.getByTestId('changed-header')).toHaveCount(0);

    await screenshotEachLook(testInfo, page, 'diffs page with a pair', async () => {
      await diffs.root.scrollIntoViewIfNeeded();
      await page.evaluate('window.scrollTo(0, 0)');
    });
    await screenshotEachLook(testInfo, page, 'diffs page pair side by side', () => diffs.pair.scrollIntoViewIfNeeded());

    // The copies in the request log: tagged "shadow", apart from the caller's own requests.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
    const requests = new RequestsPage(page);
    await requests.openAt(mesh.dashboardUrl, 'service=world&version=v2');
    await requests.historyLoaded();
    await expect(requests.rows.first()).toBeVisible({ timeout: 15_000 });
    const v2Rows = await requests.rows.count();
    await expect(requests.rows.filter({ has: page.getByText('shadow', { exact: true }) })).toHaveCount(v2Rows);
    await keepScreenshot(testInfo, 'requests shadow rows light 1280x800', page);
    await requests.filter('service=world version=v1 path~/users/1');
    await expect(requests.rows.first()).toBeVisible();
    await expect(requests.rows.filter({ hasNot: page.getByText('shadow', { exact: true }) }).first()).toBeVisible();

    // Clearing forgets the pairs; the rule stays, and the panel's switch with it.
    await diffs.open();
    await diffs.clearButton.click();
    await expect(page.getByTestId('diff-message')).toHaveText(/^Cleared \d+ pairs/);
    await expect(page.getByTestId('diffs-waiting')).toContainText('No pairs compared yet.');
  } finally {
    await v1.close();
    await v2.close();
  }
});
