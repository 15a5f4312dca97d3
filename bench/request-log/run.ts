/**
 * The request log under load: `meshdesk serve` (the real mesh, real proxy, real push stream), one
 * upstream service, an open-loop load generator sending through the proxy (default 5,000 req/s for
 * 60 s), and the dashboard's request log open and following in Chromium while a scripted user
 * clicks rows and presses keys. Everything on loopback, ports 0, in a temporary directory.
 *
 * Targets: no main-thread long task over 100 ms; input latency under 100 ms; page memory
 * bounded; the mesh's counts match the requests sent (nothing lost), and so do the view's.
 *
 * Run: `npm run build && npx tsc -p bench/tsconfig.json && node dist/bench/request-log/run.js
 * [--rate 5000] [--seconds 60] [--connections 64] [--profile]`. Prints markdown; raw figures go to
 * bench/results/request-log-<time>.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS } from '../../e2e/fixtures/chromium-args.js';
import { chromium } from '@playwright/test';
import { readPersistedToken } from '../../main/mesh/admin/token-file.js';
import { packageRoot } from '../../main/package-root.js';
import { AdminClient } from '../../shared/admin-client.js';
import type { LoadResult } from './load-generator.js';
import { startMesh, type BenchMesh } from './mesh-process.js';
import { memorySample, OBSERVER_SCRIPT, playUser, readPageFigures, type MemorySample } from './page-probes.js';
import { startProfile, stopProfile, type HotFunction } from './cpu-profile.js';
import { judge, markdown, type Outcome } from './report.js';
import { mainThreadTasks } from './trace-tasks.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const rate = option('rate', 5_000);
const seconds = option('seconds', 60);
const connections = option('connections', 64);
const profiling = args.includes('--profile');
const here = path.dirname(fileURLToPath(import.meta.url));
const workDir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-bench-log-'));
const children: ChildProcess[] = [];
let mesh: BenchMesh | null = null;

try {
  const upstream = startChild(path.join(here, 'upstream.js'), []);
  const port = Number(/^listening (\d+)$/.exec(await upstream.firstLine)?.[1]);
  const config = path.join(workDir, 'meshdesk.yaml');
  writeFileSync(config, `services:\n  bench:\n    instances: [127.0.0.1:${port}]\n`);
  mesh = await startMesh(config, workDir);
  const client = new AdminClient(mesh.dashboardUrl, readPersistedToken(mesh.stateDir));
  progress(`mesh at ${mesh.proxyUrl}, dashboard ${mesh.dashboardUrl}; ${rate} req/s for ${seconds} s`);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(OBSERVER_SCRIPT);
    await page.goto(mesh.loginUrl);
    await page.goto(new URL('/#/requests', mesh.dashboardUrl).toString());
    await page.getByTestId('log-table').waitFor();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');

    // Only the 'toplevel' category: one event per task, cheap enough to leave on for the whole run.
    await browser.startTracing(page, { categories: ['toplevel'] });
    if (profiling) await startProfile(cdp);
    const load = startChild(path.join(here, 'load-generator.js'), [mesh.proxyUrl, 'http://bench/item', String(rate), String(seconds), String(connections)]);
    const memory: MemorySample[] = [];
    const started = performance.now();
    let inputsSent = 0;
    let round = 0;
    while (performance.now() - started < seconds * 1000) {
      await sleep(2_000);
      inputsSent += await playUser(page, round++).catch(() => 0);
      if (round % 2 === 0) memory.push(await memorySample(cdp, Math.round((performance.now() - started) / 1000)));
    }
    const loadResult = JSON.parse(await load.lastLine) as LoadResult;
    // Let the last push batches and the view's next render land.
    await sleep(2_000);
    memory.push(await memorySample(cdp, Math.round((performance.now() - started) / 1000)));
    const figures = await readPageFigures(page, inputsSent, memory);
    const tasks = mainThreadTasks(await browser.stopTracing());
    const hot: HotFunction[] = profiling ? await stopProfile(cdp) : [];
    const stats = await client.call('getStats');
    const logged = stats.services.find((service) => service.service === 'bench')?.stats.totals.requests ?? 0;
    const page1 = await client.call('queryLog', { service: 'bench', limit: 1 });
    const newestLogged = page1.exchanges[0]?.id ?? null;

    const outcome: Outcome = {
      rate,
      seconds,
      connections,
      load: loadResult,
      meshLogged: logged,
      logHeld: page1.held,
      logCapacity: page1.capacity,
      newestLogged,
      page: figures,
      tasks,
    };
    const verdicts = judge(outcome);
    console.log(markdown(outcome, verdicts, { cpu: os.cpus()[0]?.model ?? 'unknown', cpus: os.availableParallelism(), load: os.loadavg() }));
    if (hot.length > 0) console.log(['', 'Most self time on the page main thread:', ...hot.map((fn) => `- ${fn.selfMs} ms ${fn.name}`)].join('\n'));
    const resultsDir = path.join(packageRoot(), 'bench', 'results');
    mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `request-log-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ ...outcome, verdicts, hot }, null, 2)}\n`);
    progress(`raw figures: ${path.relative(packageRoot(), file)}`);
  } finally {
    await browser.close();
  }
} finally {
  await mesh?.stop();
  for (const child of children) child.kill('SIGTERM');
  rmSync(workDir, { recursive: true, force: true });
}

interface Child {
  firstLine: Promise<string>;
  lastLine: Promise<string>;
}

function startChild(script: string, childArgs: string[]): Child {
  const child = spawn(process.execPath, [script, ...childArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines: string[] = [];
  let first: (line: string) => void = () => {};
  const firstLine = new Promise<string>((resolve) => (first = resolve));
  const lastLine = new Promise<string>((resolve, reject) => {
    child.on('close', (code) => (code === 0 || lines.length > 0 ? resolve(lines.at(-1) ?? '') : reject(new Error(`${script} exited with ${code}`))));
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (lines.length === 0) first(line);
    lines.push(line);
  });
  return { firstLine, lastLine };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function progress(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}
