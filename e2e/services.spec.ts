/**
 * The Services page against a real mesh: registering an instance from the form makes real requests
 * reach a real server through the proxy, editing moves it to another version, removing takes it
 * out; the form refuses bad input in the contract's words without calling the mesh; config errors
 * are shown with file, line and column; instances from disco/ show that origin.
 * Run: `npm run build && npx playwright test e2e/services.spec.ts`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getViaProxyAgent } from './fixtures/http-clients.js';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { keepScreenshot } from './fixtures/screenshots.js';
import { startTextServer } from './fixtures/text-server.js';
import { ServicesPage } from './pages/services-page.js';

test('an instance registered, edited and removed in the form is routed to, moved and taken out', async ({ serveWithConfig, dashboard }, testInfo) => {
  const search = await startTextServer('search here\n');
  try {
    const mesh = await serveWithConfig('services: {}\n');
    const services = new ServicesPage(dashboard.page);
    await dashboard.signIn(mesh.loginUrl);
    await dashboard.open('services');

    await services.registerButton.click();
    await services.fillForm({ service: 'search', version: 'v1', address: search.address, labels: 'team=core' });
    await services.form.getByTestId('instance-check').selectOption('http');
    await services.fillForm({ checkPath: '/', checkInterval: '1500ms' });
    await services.submit();
    const row = services.instanceRow('search', search.address);
    await expect(row).toContainText('v1');
    await expect(row).toContainText('http GET / ');
    await expect(row.getByTestId('instance-origin')).toHaveText('GUI');
    await expect(row).toContainText('team=core');
    expect(await getViaProxyAgent(mesh.proxyUrl, 'http://search/')).toEqual({ status: 200, body: 'search here\n' });

    const checkDescribed = (await row.innerText()).match(/http GET .*/)?.[0] ?? '';
    await row.getByTestId('instance-edit').click();
    await expect(services.field('address')).toHaveValue(search.address);
    // The edit starts from the instance's health check, so saving keeps it.
    await expect(services.form.getByTestId('instance-check')).toHaveValue('http');
    await expect(services.field('checkInterval')).toHaveValue('1500ms');
    await services.field('version').fill('v2');
    await services.submit();
    await expect(services.form).toBeHidden();
    await expect(row).toContainText('v2');
    await expect(row).toContainText(checkDescribed);
    await expect(dashboard.serviceRows('search')).toHaveCount(1);
    await keepScreenshot(testInfo, 'services page', dashboard.page, true);

    await row.getByTestId('instance-remove').click();
    await row.getByTestId('instance-remove-confirm').click();
    await expect(dashboard.serviceRows('search')).toHaveCount(0);
    // No longer a service: the proxy passes the name through as an external host, which does not resolve.
    expect((await getViaProxyAgent(mesh.proxyUrl, 'http://search/')).status).toBeGreaterThanOrEqual(500);
  } finally {
    await search.close();
  }
});

test('the form refuses bad input in the words of the shared schema, and registers nothing', async ({ serveWithConfig, dashboard }) => {
  const mesh = await serveWithConfig('services: {}\n');
  const services = new ServicesPage(dashboard.page);
  await dashboard.signIn(mesh.loginUrl);
  await dashboard.open('services');

  await services.registerButton.click();
  await services.fillForm({ service: 'Not_A_Host', address: 'localhost' });
  await services.submit();
  await expect(services.fieldError('service')).toContainText('must be a DNS label');
  await expect(services.fieldError('address')).toContainText('must be host:port');
  await expect(services.field('service')).toHaveAttribute('aria-invalid', 'true');
  await expect(dashboard.noServices).toBeVisible();
});

test('instances from meshdesk.yaml show their origin and stay; a broken save shows file and line prominently', async ({ serveWithConfig, dashboard }) => {
  const mesh = await serveWithConfig(['services:', '  world:', '    instances: [127.0.0.1:7002]', ''].join('\n'));
  const services = new ServicesPage(dashboard.page);
  await dashboard.signIn(mesh.loginUrl);
  await dashboard.open('services');

  const row = services.instanceRow('world', '127.0.0.1:7002');
  await expect(row.getByTestId('instance-origin')).toHaveText(/^meshdesk\.yaml:3$/);
  await expect(row.getByTestId('instance-remove')).toHaveCount(0);
  await expect(row).toContainText('edit meshdesk.yaml');

  await writeFile(mesh.configFile, ['services:', '  world:', '    instances: [nowhere]', ''].join('\n'));
  await expect(services.configErrors).toBeVisible();
  await expect(services.configErrors).toHaveAttribute('role', 'alert');
  await expect(services.configErrors).toContainText(/meshdesk\.yaml:3:\d+/);
  // The last good config stays in force.
  await expect(row).toBeVisible();
});

test('instances from a Linkerd-style disco/ folder show where they came from', async ({ serveWithConfig, dashboard, workDir }) => {
  await mkdir(path.join(workDir, 'disco'));
  await writeFile(path.join(workDir, 'disco', 'search'), '127.0.0.1 7011\n127.0.0.1 7012\n');
  const mesh = await serveWithConfig('services: {}\n');
  const services = new ServicesPage(dashboard.page);
  await dashboard.signIn(mesh.loginUrl);
  await dashboard.open('services');
  for (const address of ['127.0.0.1:7011', '127.0.0.1:7012']) {
    const row = services.instanceRow('search', address);
    await expect(row.getByTestId('instance-origin')).toHaveText(/^disco\/search/);
    // Declared in a file: changed there, not in the GUI.
    await expect(row.getByTestId('instance-remove')).toHaveCount(0);
  }
});
