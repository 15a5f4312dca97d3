/**
 * What the visual regression tests share: the stand-in admin server with the fixed mesh (one per
 * worker: it holds no state), a page whose clock is frozen at the mesh's "now", and the checks that
 * make a picture worth comparing: every graph node placed and still, every glyph drawn with the
 * fonts the baselines were drawn with.
 *
 * Determinism, in one place:
 * - data: synthetic-mesh.ts, fixed numbers and timestamps, no live traffic;
 * - time: Date is frozen at FROZEN_NOW (page.clock.setFixedTime; timers still run), the page runs
 *   in UTC with the en-US locale, so clock times and "5 min ago" never move;
 * - motion: prefers-reduced-motion (the traffic dots' canvas draws nothing then), and
 *   toHaveScreenshot's `animations: 'disabled'` finishes CSS transitions;
 * - pixels: device scale factor 1, the system Chromium, fonts checked (Debian's DejaVu).
 */
import { test as base, expect, type CDPSession, type Page } from '@playwright/test';
import { assertChromiumInstalled, chromiumPath } from '../fixtures/chromium-path.js';
import { startSyntheticMeshServer, type SyntheticMeshServer } from '../fixtures/synthetic-mesh-server.js';
import { FROZEN_NOW, SYNTHETIC_SERVICES } from '../fixtures/synthetic-mesh.js';

/** The fonts the baselines were drawn with: Debian's fonts-dejavu-core, what fontconfig gives Chromium there. */
export const EXPECTED_FONTS = ['DejaVu Sans', 'DejaVu Sans Mono'];

export interface Look {
  colorScheme: 'light' | 'dark';
  width: number;
  height: number;
}

export const LOOKS: Look[] = [
  { colorScheme: 'light', width: 1280, height: 800 },
  { colorScheme: 'light', width: 1024, height: 700 },
  { colorScheme: 'dark', width: 1280, height: 800 },
  { colorScheme: 'dark', width: 1024, height: 700 },
];

export function lookName(look: Look): string {
  return `${look.colorScheme}-${look.width}x${look.height}`;
}

interface VisualFixtures {
  /** Opens the dashboard at a hash address (`#/topology?service=orders`), live with the fixed mesh. */
  openDashboard: (hash: string) => Promise<Page>;
}

interface VisualWorkerFixtures {
  syntheticMesh: SyntheticMeshServer;
}

export const test = base.extend<VisualFixtures, VisualWorkerFixtures>({
  syntheticMesh: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      assertChromiumInstalled(chromiumPath());
      const server = await startSyntheticMeshServer(process.env.MESHDESK_RENDERER_DIR || undefined);
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],

  openDashboard: async ({ page, syntheticMesh }, use) => {
    await use(async (hash) => {
      await page.clock.setFixedTime(FROZEN_NOW);
      await page.goto(new URL(`/${hash}`, syntheticMesh.url).toString());
      await expect(page.getByTestId('connection')).toHaveText('live');
      return page;
    });
  },
});

export { expect };

/** Waits until every service's node is drawn and the graph has stopped moving (layout and fit done). */
export async function graphSettled(page: Page): Promise<void> {
  for (const service of SYNTHETIC_SERVICES) await expect(page.getByTestId(`service-node-${service.name}`)).toBeVisible();
  await expect(page.getByTestId('caller-node-shell')).toBeVisible();
  const nodes = page.locator('.react-flow__node');
  let previous = '';
  await expect
    .poll(
      async () => {
        const now = JSON.stringify(await nodes.evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().toJSON() as unknown)));
        const still = now === previous;
        previous = now;
        return still;
      },
      { intervals: [250], timeout: 10_000 },
    )
    .toBe(true);
}

/**
 * Every font Chromium used for the text on the page (DevTools' "Rendered fonts"). A machine with
 * other fonts draws other pixels everywhere; this says so in words before the picture differs.
 */
export async function renderedFonts(page: Page): Promise<string[]> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: 'body, body *' });
    const families = new Set<string>();
    for (const nodeId of nodeIds) {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      for (const font of fonts) families.add(font.familyName);
    }
    return [...families].sort();
  } finally {
    await cdp.detach();
  }
}

/** The page as it looks now against its baseline `<name>-<look>.png`, after checking its fonts. */
export async function expectLook(page: Page, name: string, look: Look): Promise<void> {
  const unexpected = (await renderedFonts(page)).filter((family) => !EXPECTED_FONTS.includes(family));
  expect(unexpected, `fonts other than ${EXPECTED_FONTS.join(' and ')} (install Debian's fonts-dejavu-core)`).toEqual([]);
  // The pointer rests in the page's top-left corner, where nothing reacts to hovering.
  await page.mouse.move(0, 0);
  await expect(page).toHaveScreenshot(`${name}-${lookName(look)}.png`, {
    animations: 'disabled',
    caret: 'hide',
    scale: 'css',
    // Per pixel: the YIQ distance (0..1) under which two colours count as equal (Playwright's default).
    threshold: 0.2,
    // Per picture: at most 0.3 % of the pixels may differ (3,072 at 1280×800). Measured here: runs
    // of the same build differ by 0 pixels, now and then by up to 91 (small text in the scaled
    // graph, rasterised a shade apart); the edge panel's content moved down 3 px differs by 4,500
    // (0.5 %), which the 1 % often used elsewhere would let through. The margin over the noise is
    // for another machine's CPU, whose vector paths may antialias text a shade apart. A new item
    // in the navigation bar alone differs by about 550: under this limit.
    maxDiffPixelRatio: 0.003,
  });
}
