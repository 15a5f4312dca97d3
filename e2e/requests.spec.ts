/**
 * The request log against `meshdesk demo`'s real traffic, plus requests the test sends through the
 * proxy itself (undici with a ProxyAgent): rows appear live, every filter narrows the log exactly as
 * the admin API's own log query does, the graph's "show requests here" link opens the log filtered,
 * pause/resume/clear and saved filters work, and the HAR export is valid HAR 1.2 holding exactly
 * the filtered exchanges. Run: `npm run build && npx playwright test e2e/requests.spec.ts`.
 */
import path from 'node:path';
import { ProxyAgent, request } from 'undici';
import { readPersistedToken } from '../main/mesh/admin/token-file.js';
import { AdminClient } from '../shared/admin-client.js';
import { parseFilterWords, type LogFilter } from '../shared/log-filter-words.js';
import { validateHar } from './fixtures/har-validator.js';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { RequestsPage } from './pages/requests-page.js';

test.describe.configure({ timeout: 120_000 });

function adminClient(dashboardUrl: string, workDir: string): AdminClient {
  const token = readPersistedToken(path.join(workDir, 'state'));
  if (!token) throw new Error('the mesh wrote no admin token');
  return new AdminClient(dashboardUrl, token);
}

/** Ids of every exchange the mesh's log holds for the filter, oldest first. */
async function logIds(client: AdminClient, filter: LogFilter, before?: number): Promise<number[]> {
  const ids: number[] = [];
  let next = before;
  for (let page = 0; page < 20; page++) {
    const answer = await client.call('queryLog', { ...filter, limit: 1_000, ...(next === undefined ? {} : { before: next }) });
    ids.push(...answer.exchanges.map((exchange) => exchange.id));
    if (answer.nextBefore === null) break;
    next = answer.nextBefore;
  }
  return ids.sort((a, b) => a - b);
}

/**
 * A mix of requests through the proxy that every filter below has something to find in: paths,
 * a POST, a header, a slow answer and failures (world's control endpoints, reached through the
 * mesh like everything else).
 */
async function sendMix(proxyUrl: string): Promise<void> {
  const agent = new ProxyAgent(proxyUrl);
  const send = async (url: string, options: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> } = {}) => {
    const answer = await request(url, { dispatcher: agent, headersTimeout: 15_000, bodyTimeout: 15_000, ...options });
    await answer.body.text();
  };
  try {
    await send('http://world/api/items?id=1', { headers: { 'x-test-id': 'abc' } });
    await send('http://world/api/items', { method: 'POST', body: '{"name":"x"}', headers: { 'content-type': 'application/json' } });
    await send('http://world/other');
    await send('http://world/control/slow?ms=300', { method: 'POST' });
    await send('http://world/slow-one');
    await send('http://world/control/fail?rate=1', { method: 'POST' });
    await send('http://world/failing');
  } finally {
    await send('http://world/control/reset', { method: 'POST' }).catch(() => undefined);
    await agent.close();
  }
}

test('rows appear for the demo traffic, live', async ({ demo, dashboard }) => {
  const requests = new RequestsPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('requests');

  await expect(requests.rows.filter({ hasText: 'world@v1' }).first()).toBeVisible({ timeout: 20_000 });
  const row = requests.rows.filter({ hasText: 'world@v1' }).last();
  await expect(row.getByRole('cell').nth(1)).toHaveText('hello');
  await expect(row.getByRole('cell').nth(2)).toHaveText('GET');
  await expect(row.getByRole('cell').nth(6)).toHaveText('200');
  // Live: the count keeps growing while the demo sends.
  const before = await requests.rowCount();
  await expect.poll(() => requests.rowCount(), { timeout: 15_000 }).toBeGreaterThan(before);
  await expect(requests.followButton).toHaveAttribute('aria-pressed', 'true');
});

test('following keeps the newest row in view; scrolling up stops it, back to the bottom resumes it', async ({ demo, dashboard }) => {
  const requests = new RequestsPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('requests');
  const agent = new ProxyAgent(demo.proxyUrl);
  const traffic = async (count: number) => {
    for (let i = 0; i < count; i++) await (await request('http://hello/', { dispatcher: agent })).body.text();
  };
  try {
    await traffic(80);
    await expect.poll(() => requests.rowCount(), { timeout: 15_000 }).toBeGreaterThan(60);
    const scroller = dashboard.page.getByTestId('log-scroll');
    const fromBottom = () => scroller.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);
    await expect(requests.followButton).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(fromBottom).toBeLessThan(30);

    // The user scrolls up with the wheel: following stops, and new rows do not move the view.
    await scroller.hover();
    await dashboard.page.mouse.wheel(0, -5_000);
    await expect(requests.followButton).toHaveAttribute('aria-pressed', 'false');
    const top = await scroller.evaluate((element) => element.scrollTop);
    await traffic(20);
    await dashboard.page.waitForTimeout(500);
    expect(await scroller.evaluate((element) => element.scrollTop)).toBe(top);

    // Back at the bottom: following again. The demo keeps adding rows below, so the wheel keeps
    // turning until it lands on the bottom, as a user's would.
    await expect
      .poll(async () => {
        await dashboard.page.mouse.wheel(0, 20_000);
        return requests.followButton.getAttribute('aria-pressed');
      })
      .toBe('true');
  } finally {
    await agent.close();
  }
});

test('each filter narrows the log exactly as the admin API filters it', async ({ demo, dashboard, workDir }) => {
  const client = adminClient(demo.dashboardUrl, workDir);
  const requests = new RequestsPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('requests');

  const filters = [
    'service=world',
    'caller=hello',
    'version=v1',
    'method=POST',
    'status=5xx',
    'status=200',
    'path~/api',
    'path=~^/api/items$',
    'min=250ms',
    'errors',
    'header:x-test-id=abc',
    'items',
    'service=world method=GET path~/api',
  ];
  for (const words of filters) {
    await test.step(words, async () => {
      if (await requests.resumeButton.isVisible()) await requests.resume();
      await requests.filter(words);
      await expect(requests.filterErrors).toBeHidden();
      // Sent after the filter is in force, so the rows arrive live, not only from history.
      await sendMix(demo.proxyUrl);
      const filter = parseFilterWords(words).filter;
      const newest = (await logIds(client, filter)).at(-1);
      expect(newest, `the mesh's log has something for ${words}`).toBeDefined();
      await expect(requests.row(newest as number)).toBeAttached({ timeout: 10_000 });
      // Exchanges end (and are logged) out of id order — a slow one, or one whose caller the OS is
      // still naming — so the view and the log agree once the stragglers are in, not at one instant.
      await expect
        .poll(
          async () => {
            const shown = await requests.allRowIds();
            const upTo = Math.max(...shown);
            const logged = (await logIds(client, filter)).filter((id) => id <= upTo);
            return shown.join(',') === logged.join(',') ? 'same' : `shown ${shown.join(',')} / logged ${logged.join(',')}`;
          },
          { timeout: 10_000 },
        )
        .toBe('same');
    });
  }
});

test('"show requests here" from the graph opens the log filtered', async ({ demo, dashboard }) => {
  const requests = new RequestsPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await requests.openAt(demo.dashboardUrl, 'service=world&version=v1&caller=hello');

  await expect(requests.filterWords).toHaveValue('service=world caller=hello version=v1');
  await expect(requests.rows.first()).toBeVisible({ timeout: 20_000 });
  for (const text of await requests.rows.allInnerTexts()) {
    expect(text).toContain('world@v1');
    expect(text).toContain('hello');
  }
  // A bad parameter is named, and the rest still filter.
  await requests.openAt(demo.dashboardUrl, 'service=world&status=7xx');
  await expect(requests.filterErrors).toContainText('status=7xx');
  await expect(requests.filterWords).toHaveValue('service=world');
});

test('pause holds new rows back, resume shows them, clear empties the view and the mesh log', async ({ demo, dashboard, workDir }) => {
  const client = adminClient(demo.dashboardUrl, workDir);
  const requests = new RequestsPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('requests');
  await expect(requests.rows.first()).toBeVisible({ timeout: 20_000 });

  await requests.pause();
  const held = await requests.rowCount();
  await expect(requests.resumeButton).toHaveText(/Resume \(\d+ new\)/, { timeout: 15_000 });
  expect(await requests.rowCount()).toBe(held);
  await requests.resume();
  expect(await requests.rowCount()).toBeGreaterThan(held);

  const lastBeforeClear = Math.max(...(await requests.allRowIds()));
  await requests.clearButton.click();
  await expect.poll(async () => (await requests.allRowIds()).every((id) => id > lastBeforeClear)).toBe(true);
  expect((await logIds(client, {})).every((id) => id > lastBeforeClear)).toBe(true);
});

test('saved filters survive a reload', async ({ demo, dashboard }) => {
  const requests = new RequestsPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('requests');
  await requests.filterWords.fill('service=world errors');
  await dashboard.page.getByRole('button', { name: 'Save filter' }).click();
  await dashboard.page.getByRole('textbox', { name: 'Filter name' }).fill('world errors');
  await dashboard.page.getByRole('button', { name: 'Save', exact: true }).click();

  await requests.openAt(demo.dashboardUrl);
  await dashboard.page.reload();
  await expect(requests.filterWords).toHaveValue('');
  await requests.savedFilters.selectOption('world errors');
  await expect(requests.filterWords).toHaveValue('service=world errors');
  await expect(dashboard.page).toHaveURL(/#\/requests\?q=service%3Dworld\+errors$/);
});

test('the HAR export is valid HAR 1.2 and holds exactly the filtered exchanges', async ({ demo, dashboard, workDir }) => {
  const client = adminClient(demo.dashboardUrl, workDir);
  const requests = new RequestsPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('requests');
  await sendMix(demo.proxyUrl);
  await requests.filter('service=world path~/api');
  await expect(requests.rows.first()).toBeVisible();

  const { name, har } = await requests.exportHar();
  expect(name).toMatch(/^meshdesk-.*\.har$/);
  expect(validateHar(har)).toEqual([]);
  const entries = (har as { log: { entries: { request: { url: string }; _meshdesk: { id: number; seq: number } }[] } }).log.entries;
  expect(entries.length).toBeGreaterThan(0);
  for (const entry of entries) expect(entry.request.url).toMatch(/^http:\/\/world\/api/);
  // Traffic goes on after the export: compare with the log up to the newest exchange exported.
  const newestSeq = Math.max(...entries.map((entry) => entry._meshdesk.seq));
  const exported = entries.map((entry) => entry._meshdesk.id).sort((a, b) => a - b);
  expect(exported).toEqual(await logIds(client, { service: 'world', path: '/api' }, newestSeq + 1));
});

test("replay to v2 returns v2's body and shows how it differs from v1", async ({ demo, dashboard }) => {
  const requests = new RequestsPage(dashboard.page);
  await dashboard.signIn(demo.loginUrl);
  await requests.openAt(demo.dashboardUrl, 'service=world&version=v1');
  const row = requests.rows.first();
  await expect(row).toBeVisible({ timeout: 20_000 });
  await requests.openExchange(Number(await row.getAttribute('data-id')));

  await requests.detail.getByRole('button', { name: 'Replay…' }).click();
  await requests.detail.getByRole('combobox', { name: 'Replay to version' }).selectOption('v2');
  await requests.detail.getByTestId('replay-send').click();
  const comparison = requests.detail.getByTestId('replay-comparison');
  await expect(comparison.getByTestId('replay-status')).toHaveText('200');
  await expect(comparison.getByTestId('diff-left').filter({ hasText: 'world v1' })).toHaveClass(/removed/);
  await expect(comparison.getByTestId('diff-right').filter({ hasText: 'world v2' })).toHaveClass(/added/);
  await expect(comparison.getByTestId('changed-header').filter({ hasText: 'x-world-version' })).toBeVisible();
  // Which version answered, as the mesh reports it (x-meshdesk-version on the replay's response).
  await expect(comparison.getByTestId('replay-served-by')).toHaveText('world@v2');
});
