/**
 * `npm run bench:graph` (or `npx tsc -p bench/tsconfig.json && node dist/bench/graph/run.js`):
 * the topology graph in Chromium against a synthetic mesh — 50 services / 150 edges and
 * 200 services / 600 edges at 2,000 req/s (targets at both: first render < 1 s, no long task
 * > 50 ms during updates; drags smooth). Needs `npm run build` first (it serves
 * dist/renderer) and the system Chromium. Prints markdown; raw figures go to bench/results/.
 *
 * Options: `--runs N` (default 3; the median run is reported), `--seconds S` of live updates
 * (default 15), `--only 50|200`, `--rps N` (default 2,000), `--renderer DIR` to serve another build than dist/renderer.
 *
 * `--real`: the same measurement against the real product carrying real traffic (real-mesh.ts):
 * `meshdesk serve` (the built dist/) routing to an upstream server per generated instance, with a
 * load generator sending every edge's rate through the proxy. Extra options: `--warmup S` of
 * traffic before the first page load (default 5), `--connections N` from the load generator to the
 * proxy (default 32; at most 8 × N requests in flight), `--pin`: the mesh, its upstreams and the
 * load generator confined to CPU 0 (cpu-pinning.ts says why).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS } from '../../e2e/fixtures/chromium-args.js';
import { chromium } from '@playwright/test';
import { packageRoot } from '../../main/package-root.js';
import { startFakeAdmin } from './fake-admin.js';
import { measureGraph, type GraphMeasurement } from './measure.js';
import { pinningUnavailable } from './cpu-pinning.js';
import { measureRealMesh } from './real-mesh.js';
import { graphTable, loadTable, medianByFirstRender, type SizeResult } from './report.js';
import { generateMesh, type MeshSize } from './synthetic-mesh.js';

const SIZES: (MeshSize & { target: boolean })[] = [
  { services: 50, edges: 150, totalRps: 2000, target: true },
  { services: 200, edges: 600, totalRps: 2000, target: true },
];

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const runs = option('runs', 3);
const seconds = option('seconds', 15);
const only = option('only', 0);
/** `--rps N`: the mesh's total request rate (default 2,000), e.g. lower where real traffic would saturate the machine. */
const rps = option('rps', 2000);
const real = args.includes('--real');
/** `--renderer DIR`: serve another build of the dashboard (an unminified one, or a variant to compare). */
const rendererAt = args.indexOf('--renderer');
const pin = args.includes('--pin');
if (pin && !real) throw new Error('--pin applies to --real: the synthetic feed runs inside the benchmark process');
const cannotPin = pin ? pinningUnavailable() : null;
if (cannotPin) throw new Error(cannotPin);
const realOptions = { runs, seconds, warmup: option('warmup', 5), connections: option('connections', 32), pin };
const progress = (line: string) => process.stderr.write(`bench:graph ${line}\n`);

const root = packageRoot();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [...CHROMIUM_ARGS],
});
const results: SizeResult[] = [];
const loadBefore = os.loadavg();
try {
  for (const size of SIZES.filter((candidate) => only === 0 || candidate.services === only).map((candidate) => ({ ...candidate, totalRps: rps }))) {
    const mesh = generateMesh(size);
    if (real) {
      const measured = await measureRealMesh(browser, mesh, realOptions, progress);
      results.push({ size, runs: measured.runs, median: medianByFirstRender(measured.runs), real: measured.real });
      continue;
    }
    const admin = await startFakeAdmin(mesh, rendererAt >= 0 ? path.resolve(args[rendererAt + 1] ?? '') : path.join(root, 'dist', 'renderer'));
    const measured: GraphMeasurement[] = [];
    try {
      for (let run = 0; run < runs; run++) {
        // bypassCSP: the page's CSP forbids eval, which Playwright's string predicates need; it changes nothing else.
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
        const page = await context.newPage();
        progress(`${size.services} services / ${size.edges} edges, run ${run + 1}/${runs}…`);
        // Drawn edges: one per (caller, service@version).
        measured.push(await measureGraph(page, admin.url, { nodes: size.services + 1, edges: size.edges }, seconds));
        await context.close();
      }
    } finally {
      await admin.close();
    }
    results.push({ size, runs: measured, median: medianByFirstRender(measured) });
  }
} finally {
  await browser.close();
}

const pinning = pin ? 'Pinned: the mesh, its upstreams and the load generator confined to CPU 0, Chromium unpinned. ' : '';
const mode = real ? `Mode: real — \`meshdesk serve\` proxying generated traffic to real upstream servers, all on this machine. ${pinning}` : '';
const preamble = `${mode}Chromium ${browser.version()} headless, software rendering, 1440×900; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${loadBefore.map((load) => load.toFixed(2)).join(' ')}; median of ${runs} runs by first render; ${seconds} s of live updates.`;
const lines = graphTable(results, preamble, real);
if (real) lines.push(...loadTable(results));
console.log(lines.join('\n'));
const resultsDir = path.join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, `graph-${real ? 'real-' : ''}${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
// The synthetic file keeps its shape; a real run says so and carries its traffic settings.
const extra = real ? { mode: 'real', loadAfter: os.loadavg(), warmup: realOptions.warmup, connections: realOptions.connections, pinned: pin } : {};
const raw = { at: new Date().toISOString(), chromium: browser.version(), cpus: os.cpus().length, loadBefore, runs, seconds, ...extra, results };
writeFileSync(file, `${JSON.stringify(raw, null, 2)}\n`);
progress(`raw figures in ${path.relative(root, file)}`);
