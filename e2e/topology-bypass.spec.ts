/**
 * A bypass on the graph: a real Node process calling `world`'s instance straight with its own fetch
 * (no NODE_USE_ENV_PROXY), next to real traffic through the proxy, must appear as a dashed "bypass"
 * edge from that process to `world`; hovering names the process, the likely reason and the fix,
 * and a click opens the bypass panel with the same. Screenshots at 1280×800 and 1024×700, light and
 * dark. Run: `npm run build && npx playwright test e2e/topology-bypass.spec.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { seriousViolations } from './fixtures/axe.js';
import { getViaProxyAgent } from './fixtures/http-clients.js';
import { expect, test } from './fixtures/mesh-fixtures.js';
import { screenshotEachLook } from './fixtures/screenshots.js';
import { startTextServer } from './fixtures/text-server.js';
import { TopologyPage } from './pages/topology-page.js';

/**
 * `world` in a process of its own: the OS names this test's process by the ports it listens on (hello's
 * only). It writes its port plainly: console.log would colour a number under FORCE_COLOR.
 */
const WORLD_SERVER = `require('node:http').createServer((req, res) => res.end('world\\n')).listen(0, '127.0.0.1', function () { process.stdout.write(String(this.address().port) + '\\n'); });`;

/** Node's own fetch every 200 ms over a kept-alive connection: what a Node service without NODE_USE_ENV_PROXY does. */
const FETCH_LOOP = `setInterval(() => fetch(process.argv[1]).then((res) => res.text(), () => {}), 200);`;

test('a Node client calling the instance straight shows as a dashed bypass edge with its reason and fix', async ({ serveWithConfig, dashboard }, testInfo) => {
  const hello = await startTextServer('hello\n');
  const worldServer = spawn(process.execPath, ['-e', WORLD_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  let client: ChildProcess | null = null;
  try {
    const [firstLine] = (await once(worldServer.stdout, 'data')) as [Buffer];
    const world = { address: `127.0.0.1:${Number(firstLine.toString())}` };
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(https?_proxy|NODE_USE_ENV_PROXY)$/i.test(name)));
    client = spawn(process.execPath, ['-e', FETCH_LOOP, `http://${world.address}/direct`], { env, stdio: 'ignore' });
    const mesh = await serveWithConfig(`services:\n  hello:\n    instances: [${hello.address}]\n  world:\n    instances: [${world.address}]\n`);
    // Traffic through the proxy from this process, which serves hello: a solid hello → world@default edge.
    for (let i = 0; i < 5; i++) expect(await getViaProxyAgent(mesh.proxyUrl, 'http://world/')).toEqual({ status: 200, body: 'world\n' });

    const page = dashboard.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await dashboard.signIn(mesh.loginUrl);
    await dashboard.open('topology');
    const topology = new TopologyPage(page);
    const id = `bypass:${client.pid}:node>world`;
    const caller = `node pid ${client.pid}`;
    await expect(topology.edge(id)).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId(`caller-node-${caller}`)).toBeVisible();
    const drawing = topology.edgeDrawing(id);
    await expect(drawing.locator('title')).toHaveText(
      new RegExp(
        `^${escape(caller)} calls world at ${escape(world.address)} past the proxy\\nlikely: Node's fetch ignores http_proxy without NODE_USE_ENV_PROXY=1\\nfix: start it with NODE_USE_ENV_PROXY=1`,
      ),
    );
    await expect(drawing.locator('.react-flow__edge-path')).toHaveCSS('stroke-dasharray', '6px, 4px');
    await expect(topology.edge('hello->world@default')).toBeVisible();

    await drawing.locator('.bypass-tag').click();
    const panel = page.getByTestId('bypass-panel');
    await expect(panel.getByRole('heading', { level: 2 })).toHaveText(`${caller} → world bypass`);
    await expect(panel.getByTestId('bypass-process')).toHaveText(`node (pid ${client.pid})`);
    await expect(panel.getByTestId('bypass-reason')).toHaveText("likely: Node's fetch ignores http_proxy without NODE_USE_ENV_PROXY=1");
    await expect(panel.getByTestId('bypass-fix')).toContainText(`call http://world/ rather than http://${world.address}/`);

    await screenshotEachLook(testInfo, page, 'bypass', async ({ width }) => {
      await page.getByTestId('relayout').click();
      // The view refits to the new size with a short animation; the traffic dots follow it a frame late.
      await page.waitForTimeout(500);
      if (width === 1280) expect(await seriousViolations(page)).toEqual([]);
    });
  } finally {
    client?.kill('SIGKILL');
    worldServer.kill('SIGKILL');
    await hello.close();
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
