/**
 * One round of the idle-channel memory measurement, each on a process started fresh for it (so that
 * no earlier load has left heap slack for the channels to fill): Meshdesk with events on, which is
 * the figure the bench is for, and for comparison the grpc-js server alone (what Node's HTTP/2 costs
 * per connection) and nginx's grpc_pass. Each process is stopped as soon as it is measured.
 */
import type { Pinning } from '../proxy/children.js';
import type { Tools } from '../proxy/tools.js';
import { measureIdleChannels, type IdleChannelsResult } from './idle-channels.js';
import { startGrpcNginx } from './nginx-grpc.js';
import { SERVICE_AUTHORITY, startGreeterServer, startMesh, type GrpcRig } from './rig.js';

export const IDLE_TARGETS = {
  mesh: 'Meshdesk, events on',
  server: 'grpc-js server alone (Node http2)',
  nginx: 'nginx grpc_pass',
} as const;
export type IdleTarget = keyof typeof IDLE_TARGETS;

export type IdleChannelsRow = IdleChannelsResult & { target: IdleTarget };

interface Fresh {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export async function idleChannelsRound(
  rig: GrpcRig,
  nginx: Tools['nginx'],
  pinning: Pinning,
  workDir: string,
  channels: number,
  ticksPerSecond: number,
): Promise<IdleChannelsRow[]> {
  const starts: [IdleTarget, () => Promise<Fresh>][] = [
    ['mesh', () => startMesh(pinning, rig.meshConfig, 'on')],
    ['server', () => startGreeterServer(pinning)],
  ];
  if (nginx) starts.push(['nginx', () => startGrpcNginx(nginx.path, pinning, workDir, rig.server.port)]);
  const rows: IdleChannelsRow[] = [];
  for (const [target, start] of starts) {
    const fresh = await start();
    try {
      // Only the mesh routes by authority; the others answer whatever it names.
      const authority = target === 'mesh' ? SERVICE_AUTHORITY : `127.0.0.1:${fresh.port}`;
      rows.push({ target, ...(await measureIdleChannels(fresh, authority, channels, ticksPerSecond)) });
    } finally {
      await fresh.stop();
    }
  }
  return rows;
}
