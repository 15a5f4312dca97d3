/**
 * Measures one row: a sanity call first (a row that answers every call with a fast gRPC error must
 * not win), then h2load at the throughput setting and with one call in flight (latency), sampling
 * the proxy's and the server's CPU time and the server's call count at the very moments h2load
 * starts and ends each measured phase. gRPC errors travel as HTTP 200, which h2load counts as
 * success: calls h2load counted that the server never answered, and exchanges the mesh recorded as
 * failed, are counted as errors next to h2load's own.
 */
import type { NodeChild } from '../proxy/children.js';
import { sampleProcess, type ProcSample } from '../proxy/proc-stats.js';
import { checkCall } from './grpc-channel.js';
import type { H2load, H2loadResult, LoadShape } from './h2load.js';
import type { Row, RowId } from './rig.js';

export interface RowMeasurement {
  id: RowId;
  throughput: H2loadResult;
  latency: H2loadResult;
  /** CPU time of the row's process (the proxy; the server for `direct`) per call, in the measured phase. */
  cpuUsPerCall: number | null;
  /** The same at one call in flight (the latency run): what one call costs without batching. */
  cpuUsPerCallOne: number | null;
  /** The same for the server, behind the proxy, at the throughput setting (null for `direct`). */
  serverCpuUsPerCall: number | null;
  /** The row's process after its runs. */
  rssBytes: number | null;
  /** Calls the server answered during h2load's measured phase at the throughput setting. */
  servedCalls: number;
  /** Calls h2load counted as answered beyond what the server answered (in-flight and 1% slack allowed). */
  unserved: number;
  /** Exchanges the mesh recorded as failed during the row; null when it does not count them. */
  meshFailures: number | null;
}

export interface MeasureSettings {
  throughput: LoadShape;
  latency: LoadShape;
  server: NodeChild;
  ticksPerSecond: number;
}

interface Moment {
  row: ProcSample | null;
  server: ProcSample | null;
  serverCalls: Promise<number>;
}

/** An h2load run with the row's and the server's state taken as its measured phase starts and ends. */
interface PhaseRun {
  result: H2loadResult;
  /** CPU time `pick`'s process spent per call h2load counted, in the measured phase. */
  cpuPerCall(pick: (moment: Moment) => ProcSample | null): number | null;
  /** Calls the server answered in the measured phase. */
  served(): Promise<number>;
}

export async function measureRow(row: Row, h2load: H2load, settings: MeasureSettings): Promise<RowMeasurement> {
  const { server, ticksPerSecond } = settings;
  const moment = (): Moment => ({
    row: sampleProcess(row.pid, ticksPerSecond),
    server: sampleProcess(server.pid, ticksPerSecond),
    serverCalls: server.stats().then((stats) => stats.requests ?? 0),
  });
  const run = async (shape: LoadShape): Promise<PhaseRun> => {
    const phase: { first?: Moment; last?: Moment } = {};
    const result = await h2load.run(row.target, shape, { onMeasureStart: () => (phase.first = moment()), onMeasureEnd: () => (phase.last = moment()) });
    const { first, last } = phase;
    if (!first || !last) throw new Error(`h2load did not announce its measured phase for ${row.id}`);
    return {
      result,
      cpuPerCall: (pick) => {
        const [before, after] = [pick(first), pick(last)];
        return before && after && result.succeeded > 0 ? ((after.cpuMs - before.cpuMs) * 1000) / result.succeeded : null;
      },
      served: async () => (await last.serverCalls) - (await first.serverCalls),
    };
  };
  await checkCall(row.target.port, row.target.authority);
  const failuresBefore = (await row.stats?.())?.failures ?? null;
  const throughput = await run(settings.throughput);
  const latency = await run(settings.latency);
  const failuresAfter = (await row.stats?.())?.failures ?? null;
  const served = await throughput.served();
  const inFlight = settings.throughput.connections * settings.throughput.streams;
  return {
    id: row.id,
    throughput: throughput.result,
    latency: latency.result,
    cpuUsPerCall: throughput.cpuPerCall((m) => m.row),
    cpuUsPerCallOne: latency.cpuPerCall((m) => m.row),
    serverCpuUsPerCall: row.pid === server.pid ? null : throughput.cpuPerCall((m) => m.server),
    rssBytes: sampleProcess(row.pid, ticksPerSecond)?.rssBytes ?? null,
    servedCalls: served,
    unserved: Math.max(0, Math.round(throughput.result.succeeded * 0.99) - inFlight - served),
    meshFailures: failuresBefore === null || failuresAfter === null ? null : failuresAfter - failuresBefore,
  };
}
