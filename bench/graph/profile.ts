/**
 * `node dist/bench/graph/profile.js [--only 50|200] [--seconds S] [--renderer DIR]`: where the graph's main-thread
 * time goes, for the one size asked (default 200 services / 600 edges). It records a Chromium trace
 * (the DevTools timeline categories plus the JS sampler) of the first render and of S seconds (6) of
 * live updates, writes both as `bench/results/graph-profile-*.json` (open them in DevTools'
 * Performance panel), and prints, for each phase, the long tasks and what they spent their time on:
 * style, layout, paint, and JS by function (self time), so a fix can aim at the real cost. For
 * readable function names serve an unminified build: `npx vite build --minify false --outDir
 * /tmp/renderer-profile` and `--renderer /tmp/renderer-profile`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CHROMIUM_ARGS } from '../../e2e/fixtures/chromium-args.js';
import { chromium, type Browser, type Page } from '@playwright/test';
import { packageRoot } from '../../main/package-root.js';
import { startFakeAdmin } from './fake-admin.js';
import { graphDrawn, OBSERVER_SCRIPT } from './measure.js';
import { summariseTrace, type TraceEvent } from './trace-summary.js';
import { generateMesh } from './synthetic-mesh.js';

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'toplevel',
  'blink.user_timing',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
];

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const services = option('only', 200);
const seconds = option('seconds', 6);
const rendererAt = args.indexOf('--renderer');
const size = services === 50 ? { services: 50, edges: 150, totalRps: 2000 } : { services: 200, edges: 600, totalRps: 2000 };

const root = packageRoot();
const resultsDir = path.join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [...CHROMIUM_ARGS],
});
const admin = await startFakeAdmin(generateMesh(size), rendererAt >= 0 ? path.resolve(args[rendererAt + 1] ?? '') : path.join(root, 'dist', 'renderer'));
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await page.addInitScript(OBSERVER_SCRIPT);
  await traced(browser, page, 'first-render', async () => {
    await page.goto(`${admin.url}/#/topology`);
    await page.waitForFunction(graphDrawn({ nodes: size.services + 1, edges: size.edges }), undefined, { polling: 'raf', timeout: 60_000 });
    await page.waitForTimeout(500);
  });
  await page.waitForTimeout(1_000);
  await traced(browser, page, 'updates', () => page.waitForTimeout(seconds * 1000));
  await context.close();
} finally {
  await admin.close();
  await browser.close();
}

async function traced(browser: Browser, page: Page, phase: string, run: () => Promise<void>): Promise<void> {
  await browser.startTracing(page, { categories: CATEGORIES });
  await run();
  const buffer = await browser.stopTracing();
  const file = path.join(resultsDir, `graph-profile-${size.services}-${phase}-${stamp}.json`);
  writeFileSync(file, buffer);
  const trace = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] };
  console.log(`\n## ${size.services}/${size.edges}, ${phase} (${path.relative(root, file)})\n`);
  console.log(summariseTrace(trace.traceEvents).join('\n'));
}
