/**
 * The memory run: a fresh proxy process — Meshdesk with request events on, or a bare
 * proxy as a baseline — serves N requests, and reports its RSS after the 10,000th and after the Nth.
 * The child samples its own memory at the exact request counts (it counts what it serves), so the
 * figures do not depend on when the bench happens to look.
 */
import type { ChildStats, Milestone } from './child-channel.js';
import { startNodeChild, type Pinning } from './children.js';
import { checkRow } from './measure.js';
import { startNginx } from './nginx.js';
import { clockTicksPerSecond, sampleProcess } from './proc-stats.js';
import type { LongTarget, UpstreamKind } from './options.js';
import { childScript, writeMeshConfig } from './rig.js';
import type { Tools } from './tools.js';
import { errorCount, requestsPerSecond, type Wrk, type WrkResult, type WrkTarget } from './wrk.js';

export interface LongRunSettings {
  requests: number;
  connections: number;
  target: LongTarget;
  upstreamKind: UpstreamKind;
  meshNodeFlags: string[];
  /** For the Node upstream and a bare proxy as the target. */
  peerNodeFlags: string[];
  eventRing: number;
  workDir: string;
}

export interface LongRunResult {
  target: LongTarget;
  requestsTarget: number;
  requestsProxied: number;
  failures: number | null;
  wrk: WrkResult;
  rps: number;
  /** CPU time the proxy process used per request over the whole run (see README). */
  cpuUsPerRequest: number | null;
  rssAfter10kMb: number | null;
  rssAfterTargetMb: number | null;
  growthMb: number | null;
  milestones: Milestone[];
}

const FIRST_MILESTONE = 10_000;

export async function longRun(settings: LongRunSettings, tools: Tools, pinning: Pinning, wrk: Wrk): Promise<LongRunResult> {
  const { requests, connections, upstreamKind, workDir } = settings;
  const ticksPerSecond = clockTicksPerSecond();
  const upstream =
    upstreamKind === 'nginx' && tools.nginx
      ? await startNginx(tools.nginx.path, pinning, `${workDir}/long`, { kind: 'upstream' })
      : await startNodeChild(pinning, childScript('upstream-child'), [], settings.peerNodeFlags);
  try {
    const proxy =
      settings.target === 'mesh'
        ? await startNodeChild(
            pinning,
            childScript('meshdesk-child'),
            [writeMeshConfig(workDir, upstream.port), 'on', String(settings.eventRing)],
            settings.meshNodeFlags,
          )
        : await startNodeChild(pinning, childScript(`${settings.target}-child`), [String(upstream.port)], settings.peerNodeFlags);
    try {
      const target: WrkTarget =
        settings.target === 'mesh'
          ? { port: proxy.port, host: 'bench', requestTarget: 'http://bench/' }
          : { port: proxy.port, host: null, requestTarget: null };
      await checkRow(target);
      const before = { cpu: sampleProcess(proxy.pid, ticksPerSecond), requests: (await proxy.stats()).requests ?? 0 };
      // Generous cap: even at 1,000 req/s the run ends by itself.
      const run = wrk.start(target, connections, `${Math.ceil(requests / 1_000) + 60}s`);
      const stats = await untilServed(proxy.stats, requests, run.result);
      run.stop();
      const result = await run.result;
      const after = sampleProcess(proxy.pid, ticksPerSecond);
      const final = await proxy.stats();
      const served = (final.requests ?? 0) - before.requests;
      const cpuUsPerRequest = before.cpu && after && served > 0 ? ((after.cpuMs - before.cpu.cpuMs) * 1000) / served : null;
      return { ...summarizeRun(settings, result, final, stats), cpuUsPerRequest };
    } finally {
      await proxy.stop();
    }
  } finally {
    await upstream.stop();
  }
}

async function untilServed(ask: () => Promise<ChildStats>, requests: number, ended: Promise<unknown>): Promise<ChildStats> {
  let done = false;
  void ended.finally(() => (done = true));
  const startedAt = Date.now();
  let lastPrint = startedAt;
  let stats = await ask();
  while (!done && (stats.requests ?? 0) < requests) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    stats = await ask();
    if (Date.now() - lastPrint >= 15_000) {
      lastPrint = Date.now();
      const rate = (stats.requests ?? 0) / ((lastPrint - startedAt) / 1000);
      console.error(
        `bench: long run ${(stats.requests ?? 0).toLocaleString('en-US')} / ${requests.toLocaleString('en-US')} requests (${Math.round(rate)} req/s), RSS ${mb(stats.rssBytes)} MB`,
      );
    }
  }
  return stats;
}

function summarizeRun(settings: LongRunSettings, result: WrkResult, final: ChildStats, atStop: ChildStats): Omit<LongRunResult, 'cpuUsPerRequest'> {
  const at = (count: number) => final.milestones.find((m) => m.requests === count);
  const first = at(FIRST_MILESTONE);
  // The child samples at 10k and every 100k; for other counts, the sample taken when the run stopped.
  const lastRss = at(settings.requests)?.rssBytes ?? atStop.rssBytes;
  return {
    target: settings.target,
    requestsTarget: settings.requests,
    requestsProxied: final.requests ?? 0,
    failures: final.failures,
    wrk: result,
    rps: requestsPerSecond(result),
    rssAfter10kMb: first ? mb(first.rssBytes) : null,
    rssAfterTargetMb: mb(lastRss),
    growthMb: first ? mb(lastRss - first.rssBytes) : null,
    milestones: final.milestones,
  };
}

export function longRunText(result: LongRunResult): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const opt = (bytes: number | null) => (bytes === null ? '–' : String(mb(bytes)));
  const rows = [
    `| requests proxied | req/s | proxy CPU µs/req | errors (wrk / 5xx) | RSS after 10,000 | RSS after ${n(result.requestsTarget)} | growth |`,
    '|---|---|---|---|---|---|---|',
    `| ${n(result.requestsProxied)} | ${n(Math.round(result.rps))} | ${result.cpuUsPerRequest?.toFixed(1) ?? '–'} | ${errorCount(result.wrk)} / ${result.failures ?? '–'} | ${show(result.rssAfter10kMb)} | ${show(result.rssAfterTargetMb)} | ${show(result.growthMb)} |`,
  ];
  const trend = [
    '| requests | RSS MB | of which anonymous | of which file-backed | V8 heap total MB | V8 heap used MB | external MB |',
    '|---|---|---|---|---|---|---|',
    ...result.milestones.map(
      (m) =>
        `| ${n(m.requests)} | ${mb(m.rssBytes)} | ${opt(m.rssAnonBytes)} | ${opt(m.rssFileBytes)} | ${mb(m.heapTotalBytes)} | ${mb(m.heapUsedBytes)} | ${mb(m.externalBytes)} |`,
    ),
  ];
  return `${rows.join('\n')}\n\nMemory of the proxy process by request count (sampled inside it):\n\n${trend.join('\n')}`;
}

export const LONG_TARGET_LABELS: Record<LongTarget, string> = {
  mesh: 'Meshdesk, events on, absolute URI',
  undici: 'bare undici Pool.stream',
  'http-proxy': 'bare http-proxy-3',
};

function mb(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}

function show(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(1)} MB`;
}
