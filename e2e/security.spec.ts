/**
 * A web page the user visits must not be able to drive the mesh. The browser here is signed in to
 * the dashboard (it holds the session cookie), then opens a page from another origin — another port
 * on 127.0.0.1, which browsers treat as the same *site*, so the SameSite cookie alone would not stop
 * it — that tries every way a page can send a reroute: fetch with JSON (needs a CORS preflight),
 * fetch in no-cors mode with a "simple" body, and a plain form POST. None may change the route.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AdminClient } from '../shared/admin-client.js';
import { readPersistedToken } from '../main/mesh/admin/token-file.js';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { startTextServer } from './fixtures/text-server.js';

function attackerPage(adminUrl: string): string {
  const target = `${adminUrl}/api/routes/reroute`;
  const body = JSON.stringify({ service: 'world', version: 'v2' });
  return `<!doctype html><title>innocent page</title>
<form id="form" method="POST" action="${target}" enctype="text/plain" target="sink">
  <input name='${body.slice(0, -1)},"x":"' value='"}'>
</form>
<iframe name="sink"></iframe>
<script>
  const results = {};
  window.attack = (async () => {
    try {
      const answer = await fetch(${JSON.stringify(target)}, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(body)} });
      results.json = 'status ' + answer.status;
    } catch (error) { results.json = 'blocked: ' + error.message; }
    try {
      const answer = await fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(body)} });
      results.noCors = 'opaque ' + answer.type;
    } catch (error) { results.noCors = 'blocked: ' + error.message; }
    document.getElementById('form').submit();
    results.form = 'submitted';
    return results;
  })();
</script>`;
}

test('a page on another origin cannot reroute, even in a browser signed in to the dashboard', async ({ serveWithConfig, dashboard, page, workDir }) => {
  const v1 = await startTextServer('world v1');
  const v2 = await startTextServer('world v2');
  const mesh = await serveWithConfig(
    `services:\n  world:\n    versions:\n      v1: { instances: [${v1.address}] }\n      v2: { instances: [${v2.address}] }\n`,
  );
  await dashboard.signIn(mesh.loginUrl);

  const adminUrl = mesh.dashboardUrl.replace(/\/$/, '');
  const attacker: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(attackerPage(adminUrl));
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  try {
    const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
    const refused: string[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(`${adminUrl}/api/routes/reroute`)) refused.push(`${response.request().method()} ${response.status()}`);
    });
    await page.goto(attackerUrl);
    const results = await page.evaluate('window.attack');
    expect(results).toMatchObject({ json: expect.stringMatching(/^blocked/), form: 'submitted' });
    // What did reach the admin server was refused for its Origin.
    await expect.poll(() => refused.length).toBeGreaterThanOrEqual(2);
    expect(refused.every((line) => line.endsWith(' 403'))).toBe(true);

    const client = new AdminClient(adminUrl, readPersistedToken(path.join(workDir, 'state')));
    const world = (await client.call('listRoutes')).find((route) => route.service === 'world');
    expect(world).toMatchObject({ route: null, history: [], effectiveWeights: { v1: 1, v2: 0 } });
  } finally {
    attacker.close();
    await v1.close();
    await v2.close();
  }
});

test('the dashboard runs under its Content-Security-Policy without one violation', async ({ demo, dashboard, page }) => {
  // Recorded from the first script on: a violation in the app's start-up counts too.
  await page.addInitScript(`window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => window.cspViolations.push(event.violatedDirective + ' ' + event.sourceFile + ':' + event.lineNumber));`);
  await dashboard.signIn(demo.loginUrl);
  // The demo's traffic drawn from its stats, then its request events listed, then the other pages.
  await expect(page.locator('.react-flow__edge').first()).toBeVisible();
  await dashboard.open('requests');
  await expect(page.getByTestId('log-row').first()).toBeVisible();
  for (const view of ['services', 'settings', 'topology'] as const) await dashboard.open(view);
  expect(await page.evaluate('window.cspViolations')).toEqual([]);
});
