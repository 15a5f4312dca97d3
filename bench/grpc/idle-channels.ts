/**
 * What an idle gRPC channel costs the mesh in memory: a fresh Meshdesk process is warmed up with a
 * few channels (first use compiles and allocates what any channel needs), then N more are opened
 * to it, each an HTTP/2 connection that makes one SayHello call through the mesh and then stays open
 * and idle, as a client's channel does between calls. The figure is the process's RSS growth
 * (/proc VmRSS, as the kernel accounts it) per 1,000 channels. RSS moves with garbage collection, so
 * each side is the median of several samples taken once the process has settled.
 */
import type { ClientHttp2Session } from 'node:http2';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_PROXY_LIMITS } from '../../main/mesh/proxy/proxy-limits.js';
import { sampleProcess } from '../proxy/proc-stats.js';
import { spread } from '../proxy/report.js';
import { openChannel, sayHello } from './grpc-channel.js';

export interface IdleChannelsResult {
  channels: number;
  /** Channels that could not be opened or whose call was not answered with gRPC status 0. */
  failedCalls: number;
  /** Why, for the first few distinct failures. */
  failures: string[];
  rssBeforeBytes: number;
  rssAfterBytes: number;
  /** RSS growth per 1,000 idle channels, in MB (2^20 bytes). */
  mbPerThousand: number;
}

/** Channels opened at once, so that 1,000 connections do not arrive as one burst of SYNs. */
const BATCH = 50;
const WARMUP_CHANNELS = 20;
/**
 * The mesh holds at most `maxConnections` client connections (1,024) and drops new ones beyond it;
 * the warm-up channels, kept open, count too.
 */
export const MAX_IDLE_CHANNELS = DEFAULT_PROXY_LIMITS.maxConnections - WARMUP_CHANNELS;

export async function measureIdleChannels(
  mesh: { port: number; pid: number },
  authority: string,
  channels: number,
  ticksPerSecond: number,
): Promise<IdleChannelsResult> {
  const rss = async () => {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      await sleep(400);
      samples.push(sampleProcess(mesh.pid, ticksPerSecond)?.rssBytes ?? NaN);
    }
    return spread(samples)?.median ?? NaN;
  };
  // The warm-up channels stay open: closed, they would leave freed memory that the measured ones reuse.
  const warm = await openCalled(mesh.port, authority, WARMUP_CHANNELS);
  await sleep(1_000);
  const rssBeforeBytes = await rss();
  const opened = await openCalled(mesh.port, authority, channels);
  try {
    const rssAfterBytes = await rss();
    return {
      channels,
      failedCalls: opened.failed + warm.failed,
      failures: [...new Set([...warm.failures, ...opened.failures])].slice(0, 3),
      rssBeforeBytes,
      rssAfterBytes,
      mbPerThousand: ((rssAfterBytes - rssBeforeBytes) / 2 ** 20 / channels) * 1000,
    };
  } finally {
    for (const session of [...warm.sessions, ...opened.sessions]) session.destroy();
  }
}

/** Opens `count` channels, `BATCH` at a time, each making one call; keeps them open. */
async function openCalled(port: number, authority: string, count: number): Promise<{ sessions: ClientHttp2Session[]; failed: number; failures: string[] }> {
  const sessions: ClientHttp2Session[] = [];
  const failures: string[] = [];
  for (let done = 0; done < count; done += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - done) }, async (_, i) => {
      try {
        const session = await openChannel(port);
        sessions.push(session);
        const result = await sayHello(session, authority, `idle-${done + i}`);
        if (result.grpcStatus !== '0') failures.push(`HTTP ${result.httpStatus}, grpc-status ${result.grpcStatus}: ${result.grpcMessage}`);
      } catch (error) {
        failures.push((error as Error).message);
      }
    });
    await Promise.all(batch);
  }
  return { sessions, failed: failures.length, failures };
}
