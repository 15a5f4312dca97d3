/**
 * `npm run bench:graph` (or `npx tsc -p bench/tsconfig.json && node dist/bench/graph/run.js`):
 * the topology graph in Chromium against a synthetic mesh — 50 services / 150 edges at
 * 2,000 req/s (targets: first render < 1 s, no long task > 50 ms during updates, smooth drags)
 * and 200 services / 600 edges (figures only). Needs `npm run build` first (it serves
 * dist/renderer) and the system Chromium. Prints markdown; raw figures go to bench/results/.
 *
 * Options: `--runs N` (default 3; the median run is reported), `--seconds S` of live updates
 * (default 15), `--only 50|200`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { packageRoot } from '../../main/package-root.js';
import { startFakeAdmin } from './fake-admin.js';
import { measureGraph, type GraphMeasurement } from './measure.js';
import { generateMesh, type MeshSize } from './synthetic-mesh.js';

const SIZES: (MeshSize & { target: boolean })[] = [
  { services: 50, edges: 150, totalRps: 2000, target: true },
  { services: 200, edges: 600, totalRps: 2000, target: false },
];

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const runs = option('runs', 3);
const seconds = option('seconds', 15);
const only = option('only', 0);

const root = packageRoot();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
});
const results: { size: MeshSize; runs: GraphMeasurement[]; median: GraphMeasurement }[] = [];
const loadBefore = os.loadavg();
try {
  for (const size of SIZES.filter((candidate) => only === 0 || candidate.services === only)) {
    const mesh = generateMesh(size);
    const admin = await startFakeAdmin(mesh, path.join(root, 'dist', 'renderer'));
    const measured: GraphMeasurement[] = [];
    try {
      for (let run = 0; run < runs; run++) {
        // bypassCSP: the page's CSP forbids eval, which Playwright's string predicates need; it changes nothing else.
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
        const page = await context.newPage();
        process.stderr.write(`bench:graph ${size.services} services / ${size.edges} edges, run ${run + 1}/${runs}…\n`);
        // Drawn edges: one per (caller, service@version).
        measured.push(await measureGraph(page, admin.url, { nodes: size.services + 1, edges: size.edges }, seconds));
        await context.close();
      }
    } finally {
      await admin.close();
    }
    const sorted = [...measured].sort((a, b) => a.firstRenderMs - b.firstRenderMs);
    results.push({ size, runs: measured, median: sorted[Math.floor(sorted.length / 2)] as GraphMeasurement });
  }
} finally {
  await browser.close();
}

const lines = [
  `Chromium ${browser.version()} headless, software rendering, 1440×900; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${loadBefore.map((load) => load.toFixed(2)).join(' ')}; median of ${runs} runs by first render; ${seconds} s of live updates.`,
  '',
  '| mesh | nodes / edges drawn | first render | long tasks during updates (count, max) | node drag: frames p50 / p95 / max, >50 ms | edge drag: frames p50 / p95 / max, >50 ms |',
  '|---|---|---|---|---|---|',
];
for (const { size, median: m } of results) {
  lines.push(
    `| ${size.services} services / ${size.edges} edges, ${size.totalRps} req/s | ${m.nodes} / ${m.edges} | ${Math.round(m.firstRenderMs)} ms | ${m.updates.longTasks.count}, ${m.updates.longTasks.maxMs} ms (numbers changed in ${m.updates.summaryChanges} of ${m.updates.seconds} s) | ${m.nodeDrag.p50Ms} / ${m.nodeDrag.p95Ms} / ${m.nodeDrag.maxMs} ms, ${m.nodeDrag.over50} | ${m.edgeDrag.p50Ms} / ${m.edgeDrag.p95Ms} / ${m.edgeDrag.maxMs} ms, ${m.edgeDrag.over50} |`,
  );
}
const target = results.find((result) => result.size.services === 50)?.median;
if (target) {
  lines.push('', `Targets (50/150): first render < 1 s: ${target.firstRenderMs < 1000 ? 'met' : 'NOT met'}; no long task > 50 ms during updates: ${target.updates.longTasks.count === 0 ? 'met' : `NOT met (${target.updates.longTasks.count}, max ${target.updates.longTasks.maxMs} ms)`}.`);
}
console.log(lines.join('\n'));
const resultsDir = path.join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, `graph-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), chromium: browser.version(), cpus: os.cpus().length, loadBefore, runs, seconds, results }, null, 2)}\n`);
process.stderr.write(`bench:graph raw figures in ${path.relative(root, file)}\n`);
