/**
 * "Export for Kubernetes" against a real `meshdesk serve`: the service panel's export shows the
 * route in force as a Gateway API HTTPRoute (valid for the published models), in the namespace
 * typed, follows a reroute made in the panel, copies and downloads the same text; the Services
 * page exports every service. Screenshots of the dialog at 1280×800 and 1024×700, light and dark.
 * Run: `npm run build && npx playwright test e2e/kubernetes-export.spec.ts`.
 */
import { readFile } from 'node:fs/promises';
import { HTTPRoute, type IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { parseAllDocuments } from 'yaml';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { keepScreenshot, screenshotEachLook } from './fixtures/screenshots.js';
import { KubernetesExportDialog } from './pages/kubernetes-export-dialog.js';
import { TopologyPage } from './pages/topology-page.js';

// Exporting sends no traffic: the instances need not run.
const CONFIG = [
  'services:',
  '  hello: { instances: [127.0.0.1:7001] }',
  '  world:',
  '    versions:',
  '      v1: { instances: [127.0.0.1:7002] }',
  '      v2: { instances: [127.0.0.1:7003] }',
  '    route:',
  '      weights: { v1: 90, v2: 10 }',
  '      headers: [{ header: x-canary, value: "1", version: v2 }]',
  '    timeouts: { request: 2s }',
  '    retries: { attempts: 2 }',
  '',
].join('\n');

function validRoutes(text: string): IHTTPRoute[] {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) throw new Error('not a YAML stream');
  return documents.map((document) => {
    const route = new HTTPRoute(document.toJS() as IHTTPRoute);
    route.validate();
    return route.toJSON() as IHTTPRoute;
  });
}

test('the service panel exports its route as an HTTPRoute to copy or download, and follows a reroute', async ({
  serveWithConfig,
  dashboard,
  context,
}, testInfo) => {
  const mesh = await serveWithConfig(CONFIG);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(mesh.dashboardUrl).origin });
  const { page } = dashboard;
  await page.setViewportSize({ width: 1280, height: 800 });
  await dashboard.signIn(mesh.loginUrl);
  const topology = new TopologyPage(page);
  await topology.openPanel('world');
  const exported = new KubernetesExportDialog(page);
  await topology.panel.getByRole('region', { name: 'Kubernetes' }).scrollIntoViewIfNeeded();
  await keepScreenshot(testInfo, 'service panel with its export', topology.panel);

  await topology.panel.getByRole('button', { name: 'Export for Kubernetes' }).click();
  await expect(exported.dialog).toBeVisible();
  await expect(exported.dialog.getByRole('heading', { level: 2 })).toHaveText('Export for Kubernetes: world');
  await expect(exported.yaml).toContainText('kind: HTTPRoute');
  const [world] = validRoutes(await exported.text());
  expect(world?.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'world', port: 80 }]);
  expect(world?.spec.rules?.map((rule) => rule.backendRefs)).toEqual([
    [{ name: 'world-v2', port: 80 }],
    [
      { name: 'world-v1', port: 80, weight: 90 },
      { name: 'world-v2', port: 80, weight: 10 },
    ],
  ]);
  expect(world?.spec.rules?.[0]?.matches).toEqual([{ headers: [{ name: 'x-canary', value: '1' }] }]);

  await exported.namespace.fill('dev');
  await expect(exported.yaml).toContainText('namespace: dev');
  await exported.namespace.fill('Not_A_Namespace');
  await expect(exported.error).toContainText('must be a Kubernetes namespace');
  await exported.namespace.fill('dev');
  await expect(exported.error).toBeHidden();

  await screenshotEachLook(testInfo, page, 'export for kubernetes');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });

  const shown = await exported.text();
  await exported.copy.click();
  await expect(exported.copy).toHaveText('Copied');
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(shown);
  const downloading = page.waitForEvent('download');
  await exported.download.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('world-httproute.yaml');
  expect(await readFile(await download.path(), 'utf8')).toBe(shown);

  // Escape closes the dialog; a reroute in the panel is in the next export.
  await page.keyboard.press('Escape');
  await expect(exported.dialog).toBeHidden();
  await topology.routeAllTo('v2').click();
  await expect(topology.routeInForce).toContainText('all to v2');
  await topology.panel.getByRole('button', { name: 'Export for Kubernetes' }).click();
  // Not "weight: 1", which the old route's "weight: 10" contains too.
  await expect(exported.yaml).toContainText(/weight: 1$/m);
  await expect(exported.yaml).not.toContainText('weight: 90');
  const [rerouted] = validRoutes(await exported.text());
  expect(rerouted?.spec.rules?.at(-1)?.backendRefs).toEqual([{ name: 'world-v2', port: 80, weight: 1 }]);
  await exported.close.click();
  await expect(exported.dialog).toBeHidden();
});

test('the Services page exports every service of the mesh', async ({ serveWithConfig, dashboard }, testInfo) => {
  const mesh = await serveWithConfig(CONFIG);
  await dashboard.signIn(mesh.loginUrl);
  await dashboard.open('services');
  const exported = new KubernetesExportDialog(dashboard.page);
  await keepScreenshot(testInfo, 'services page with the export button', dashboard.page);
  await dashboard.page.getByTestId('services-page').getByRole('button', { name: 'Export for Kubernetes' }).click();
  await expect(exported.dialog.getByRole('heading', { level: 2 })).toHaveText('Export for Kubernetes');
  await expect(exported.yaml).toContainText('kind: HTTPRoute');
  expect(validRoutes(await exported.text()).map((route) => route.metadata?.name)).toEqual(['hello', 'world']);
  await expect(exported.dialog).toContainText('meshdesk-httproutes.yaml');
  await keepScreenshot(testInfo, 'export the whole mesh', dashboard.page);
});
