/**
 * A broken meshdesk.yaml is reported where the user looks, with file, line and column, and a good
 * one is not: `meshdesk serve` with a config the test writes, its dashboard in Chromium.
 * Run: `npm run build && npx playwright test e2e/config-errors.spec.ts`.
 */
import { getViaProxyAgent } from './fixtures/http-clients.js';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { startTextServer } from './fixtures/text-server.js';

const broken = [
  {
    what: 'a port out of range',
    yaml: ['services:', '  world:', '    versions:', '      v1:', '        instances: [127.0.0.1:99999]', ''].join('\n'),
    // Line 5, column 21: the offending list item itself.
    location: 'meshdesk.yaml:5:21',
    message: 'port must be between 1 and 65535',
  },
  {
    what: 'an unknown key',
    yaml: ['proxy:', '  mode: passthrough', 'services:', '  hello:', '    instances: [127.0.0.1:7001]', '    colour: blue', ''].join('\n'),
    // Line 6, column 5: the unknown key itself, not just the service that has it.
    location: 'meshdesk.yaml:6:5',
    message: 'Unrecognized key: "colour"',
  },
  {
    what: 'a YAML syntax error',
    yaml: ['services:', '  hello:', '    instances: [127.0.0.1:7001', ''].join('\n'),
    // The parser notices the unclosed list where the file ends.
    location: 'meshdesk.yaml:4:1',
    message: 'Flow sequence',
  },
];

for (const { what, yaml, location, message } of broken) {
  test(`${what} is shown in the dashboard at file:line:column`, async ({ serveWithConfig, dashboard }) => {
    const mesh = await serveWithConfig(yaml);
    await dashboard.signIn(mesh.loginUrl);
    await dashboard.open('services');

    await expect(dashboard.configErrors).toBeVisible();
    await expect(dashboard.configErrors).toContainText('the last good config is still in force');
    const errors = await dashboard.configErrorTexts();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^${location.replace(/\./g, '\\.')} `));
    expect(errors[0]).toContain(message);
    // Nothing from the broken file was loaded: there was no earlier good config to keep.
    await expect(dashboard.noServices).toBeVisible();
    // The terminal says the same, for those who never open the dashboard.
    const stderr = mesh.process.lines.filter((line) => line.stream === 'stderr').map((line) => line.text);
    expect(stderr).toContainEqual(expect.stringContaining(`meshdesk: config error ${location} `));
  });
}

test('a valid config shows its service, no config errors, and routes to it', async ({ serveWithConfig, dashboard }) => {
  const upstream = await startTextServer('inventory says hi\n');
  try {
    const yaml = ['services:', '  inventory:', `    instances: [${upstream.address}]`, ''].join('\n');
    const mesh = await serveWithConfig(yaml);
    await dashboard.signIn(mesh.loginUrl);
    await dashboard.open('services');

    await expect(dashboard.serviceRows('inventory')).toHaveCount(1);
    await expect(dashboard.serviceRows('inventory')).toContainText(upstream.address);
    await expect(dashboard.serviceRows('inventory')).toContainText('meshdesk.yaml:3');
    await expect(dashboard.configErrors).toBeHidden();
    expect(await getViaProxyAgent(mesh.proxyUrl, 'http://inventory/')).toEqual({ status: 200, body: 'inventory says hi\n' });
  } finally {
    await upstream.close();
  }
});
