/**
 * Measures one row: a sanity request first (a row that answers 502 fast must not win), then its
 * load generator (wrk, or the Node one for tunnels) with many connections for throughput and with
 * one connection for latency, sampling the proxy's RSS and CPU time around the throughput run.
 */
import http from 'node:http';
import type { NodeLoad } from './node-load.js';
import { sampleProcess } from './proc-stats.js';
import type { Row } from './rig.js';
import { probe, type NodeLoadTarget } from './tunnel-load.js';
import { UPSTREAM_MARKER } from './upstream-body.js';
import { requestsPerSecond, type Wrk, type WrkResult, type WrkTarget } from './wrk.js';

export interface RowMeasurement {
  id: string;
  /** Figures of rows driven by different generators are not compared with each other. */
  generator: Row['generator'];
  throughput: WrkResult;
  latency: WrkResult;
  rps: number;
  /** CPU time the proxy process spent per request during the throughput run. */
  cpuUsPerRequest: number | null;
  /** Same for the upstream process (how much of the shared core the upstream took). */
  upstreamCpuUsPerRequest: number | null;
  rssBytes: number | null;
  heapUsedBytes: number | null;
}

export interface MeasureSettings {
  connections: number;
  duration: number;
  warmup: number;
  upstreamPid: number;
  ticksPerSecond: number;
}

export interface LoadGenerators {
  wrk: Wrk;
  node: NodeLoad;
}

export async function measureRow(row: Row, generators: LoadGenerators, settings: MeasureSettings): Promise<RowMeasurement> {
  const load = (connections: number, seconds: number) =>
    row.generator === 'wrk' ? generators.wrk.run(row.target, connections, seconds) : generators.node.run(row.target, connections, seconds);
  if (row.generator === 'wrk') await checkRow(row.target);
  else await checkNodeRow(row.target);
  if (settings.warmup > 0) await load(settings.connections, settings.warmup);
  const proxyBefore = sampleProcess(row.pid, settings.ticksPerSecond);
  const upstreamBefore = sampleProcess(settings.upstreamPid, settings.ticksPerSecond);
  const throughput = await load(settings.connections, settings.duration);
  const proxyAfter = sampleProcess(row.pid, settings.ticksPerSecond);
  const upstreamAfter = sampleProcess(settings.upstreamPid, settings.ticksPerSecond);
  const latency = await load(1, settings.duration);
  const perRequest = (before: typeof proxyBefore, after: typeof proxyAfter) =>
    before && after && throughput.requests > 0 ? ((after.cpuMs - before.cpuMs) * 1000) / throughput.requests : null;
  const childStats = row.stats ? await row.stats() : null;
  return {
    id: row.id,
    generator: row.generator,
    throughput,
    latency,
    rps: requestsPerSecond(throughput),
    cpuUsPerRequest: perRequest(proxyBefore, proxyAfter),
    upstreamCpuUsPerRequest: row.pid === settings.upstreamPid ? null : perRequest(upstreamBefore, upstreamAfter),
    rssBytes: proxyAfter?.rssBytes ?? null,
    heapUsedBytes: childStats?.heapUsedBytes ?? null,
  };
}

/** The same check for a Node generator row, made by the generator's own code (CONNECT first for a tunnel). */
export async function checkNodeRow(target: NodeLoadTarget): Promise<void> {
  const { status, body } = await probe(target);
  if (status !== 200 || !body.includes(UPSTREAM_MARKER))
    throw new Error(`sanity request (${target.shape}) to :${target.port} got ${status}: ${body.slice(0, 200)}`);
}

/** One request the way wrk will send it; throws unless the upstream's own body comes back with 200. */
export function checkRow(target: WrkTarget): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.requestTarget ?? '/',
        headers: target.host ? { host: target.host } : {},
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          if (res.statusCode === 200 && body.includes(UPSTREAM_MARKER)) resolve();
          else reject(new Error(`sanity request to :${target.port} got ${res.statusCode}: ${body.slice(0, 200)}`));
        });
      },
    );
    req.setTimeout(5_000, () => req.destroy(new Error('sanity request timed out')));
    req.once('error', reject);
    req.end();
  });
}
