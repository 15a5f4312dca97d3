/**
 * The walking skeleton end to end: `meshdesk demo` as a user runs it (real CLI, real demo services
 * as child processes, free ports), its dashboard in Chromium, and requests through its proxy from
 * the clients developers use. Run: `npm run build && npx playwright test e2e/demo.spec.ts`.
 */
import { connect } from 'node:net';
import { curlViaProxy, getViaProxyAgent, getWithHostHeader } from './fixtures/http-clients.js';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { startTextServer } from './fixtures/text-server.js';

test('the dashboard lists hello and both versions of world, with their instances', async ({ demo, dashboard }) => {
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('services');

  await expect(dashboard.serviceRows('hello')).toHaveCount(1);
  await expect(dashboard.serviceRows('hello')).toContainText(demo.instanceAddress('hello'));

  await expect(dashboard.serviceRows('world')).toHaveCount(2);
  await expect(dashboard.versionRow('world', 'v1')).toContainText(demo.instanceAddress('world v1'));
  await expect(dashboard.versionRow('world', 'v2')).toContainText(demo.instanceAddress('world v2'));
  // Each instance says where it was declared, so the user can find it in their config.
  await expect(dashboard.versionRow('world', 'v1')).toContainText(/meshdesk\.yaml:\d+/);
  await expect(dashboard.noServices).toBeHidden();
  await expect(dashboard.unreachable).toBeHidden();
});

test('the dashboard shows the export line for this proxy, and copies it', async ({ demo, dashboard, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(demo.dashboardUrl).origin });
  await dashboard.signIn(demo.loginUrl);
  await dashboard.open('settings');

  await expect(dashboard.proxyUrl).toHaveText(demo.proxyUrl);
  await expect(dashboard.exportLine).toHaveText(`export http_proxy=${demo.proxyUrl}`);

  await dashboard.copyButton.click();
  await expect(dashboard.copyButton).toHaveText('Copied');
  // A string, because this project's Node code is typed without the DOM.
  const clipboard = await dashboard.page.evaluate<string>('navigator.clipboard.readText()');
  expect(clipboard).toBe(`export http_proxy=${demo.proxyUrl}`);
});

test('without the login link, the dashboard asks to sign in and shows nothing of the mesh', async ({ demo, dashboard }) => {
  await dashboard.page.goto(demo.dashboardUrl);

  await expect(dashboard.signInNotice).toBeVisible();
  await expect(dashboard.connection).toHaveText('sign-in');
  await expect(dashboard.exportLine).toBeHidden();
  await expect(dashboard.serviceRows('world')).toHaveCount(0);
});

test('requests through the proxy reach world v1, and hello reaches world through it too', async ({ demo }) => {
  await test.step('undici with a ProxyAgent: http://world/', async () => {
    expect(await getViaProxyAgent(demo.proxyUrl, 'http://world/')).toEqual({ status: 200, body: 'world v1\n' });
  });
  await test.step('undici with a ProxyAgent: http://hello/ (hello calls world through the proxy)', async () => {
    expect(await getViaProxyAgent(demo.proxyUrl, 'http://hello/')).toEqual({ status: 200, body: 'hello from hello, and world v1\n' });
  });
  await test.step('curl -x <proxy> http://world/', async () => {
    expect(await curlViaProxy(demo.proxyUrl, 'http://world/')).toEqual({ status: 200, body: 'world v1\n' });
  });
  await test.step('Host: world straight to the proxy port', async () => {
    expect(await getWithHostHeader(demo.proxyUrl, 'world')).toEqual({ status: 200, body: 'world v1\n' });
  });
});

test('a host that is not a service passes straight through, so exporting http_proxy breaks nothing', async ({ demo }) => {
  const elsewhere = await startTextServer('not part of the mesh\n');
  try {
    const url = `http://${elsewhere.address}/`;
    expect(await getViaProxyAgent(demo.proxyUrl, url)).toEqual({ status: 200, body: 'not part of the mesh\n' });
    expect(await curlViaProxy(demo.proxyUrl, url)).toEqual({ status: 200, body: 'not part of the mesh\n' });
  } finally {
    await elsewhere.close();
  }
});

test('SIGTERM stops the demo cleanly and takes its services down with it', async ({ demo }) => {
  const worldV1 = demo.instanceAddress('world v1');
  expect(await canConnect(worldV1)).toBe(true);

  await demo.process.terminate();

  expect(demo.process.exitCode).toBe(0);
  expect(demo.process.lines.map((line) => line.text)).toContain('meshdesk: stopped');
  expect(await canConnect(worldV1)).toBe(false);
  expect(await canConnect(new URL(demo.proxyUrl).host)).toBe(false);
});

function canConnect(address: string): Promise<boolean> {
  const colon = address.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = connect({ host: address.slice(0, colon), port: Number(address.slice(colon + 1)) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
