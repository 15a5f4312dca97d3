/**
 * Starts everything one gRPC bench run needs, side by side, before any row is measured: the Greeter
 * server, Meshdesk with events on and with events off (the HTTP bench's Meshdesk child, given a
 * meshdesk.yaml that registers the server as the service `greeter`), a bare node:http2 proxy (the
 * floor of Node's HTTP/2), and nginx as a gRPC proxy.
 * All on the server core. Rows whose tool is missing are skipped with the reason, never silently.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildStats } from '../proxy/child-channel.js';
import { meshStartupFlags, peerStartupFlags, startNodeChild, type NodeChild, type Pinning } from '../proxy/children.js';
import { childScript } from '../proxy/rig.js';
import type { H2loadTarget } from './h2load.js';
import { startGrpcNginx } from './nginx-grpc.js';
import type { GrpcTools } from './tools.js';

export const ROW_IDS = ['direct', 'mesh-on', 'mesh-off', 'node-h2', 'nginx'] as const;
export type RowId = (typeof ROW_IDS)[number];

export const ROW_LABELS: Record<RowId, string> = {
  direct: 'direct (no proxy)',
  'mesh-on': 'Meshdesk, prior knowledge, events on',
  'mesh-off': 'Meshdesk, prior knowledge, events off',
  'node-h2': 'bare node:http2 proxy',
  nginx: 'nginx grpc_pass',
};

/** The service name the mesh rows call, as a gRPC client pointed at the proxy names it in `:authority`. */
export const SERVICE_AUTHORITY = 'greeter:50051';

export interface Row {
  id: RowId;
  label: string;
  target: H2loadTarget;
  /** The process whose CPU and RSS the row reports: the proxy, or the server for `direct`. */
  pid: number;
  /** Asks a Meshdesk child what it counted (exchanges, failed ones; null with events off); null for other rows. */
  stats: (() => Promise<ChildStats>) | null;
  note: string | null;
}

export interface GrpcRig {
  server: NodeChild;
  /** The meshdesk.yaml the Meshdesk children load. */
  meshConfig: string;
  rows: Row[];
  skipped: { id: RowId; reason: string }[];
  stop(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Meshdesk as `meshdesk serve` runs it (its startup V8 flags), with the bench's event counter when `events` is on. */
export function startMesh(pinning: Pinning, meshConfig: string, events: 'on' | 'off'): Promise<NodeChild> {
  return startNodeChild(pinning, childScript('meshdesk-child'), [meshConfig, events], [...meshStartupFlags(pinning)]);
}

/**
 * The grpc-js Greeter, on the server core, with the GC setting every Node peer of the HTTP bench gets
 * there (peerStartupFlags says why): its collector's threads would otherwise share the core too.
 */
export function startGreeterServer(pinning: Pinning): Promise<NodeChild> {
  return startNodeChild(pinning, path.join(here, 'greeter-server-child.js'), [], [...peerStartupFlags(pinning)]);
}

export async function startRig(only: readonly RowId[], tools: GrpcTools, pinning: Pinning, workDir: string): Promise<GrpcRig> {
  const stops: (() => Promise<void>)[] = [];
  const wanted = (id: RowId) => only.length === 0 || only.includes(id);
  const rows: Row[] = [];
  const skipped: GrpcRig['skipped'] = [];
  const add = (id: RowId, port: number, authority: string, pid: number, child: NodeChild | null) =>
    rows.push({ id, label: ROW_LABELS[id], target: { port, authority }, pid, stats: child?.stats ?? null, note: child?.note ?? null });
  try {
    const server = await startGreeterServer(pinning);
    stops.push(() => server.stop());
    const meshConfig = path.join(workDir, 'meshdesk.yaml');
    writeFileSync(meshConfig, `proxy:\n  mode: reject\nservices:\n  greeter:\n    instances: [127.0.0.1:${server.port}]\n`);
    if (wanted('direct')) add('direct', server.port, `127.0.0.1:${server.port}`, server.pid, null);
    for (const events of ['on', 'off'] as const) {
      if (!wanted(`mesh-${events}`)) continue;
      const mesh = await startMesh(pinning, meshConfig, events);
      stops.push(() => mesh.stop());
      add(`mesh-${events}`, mesh.port, SERVICE_AUTHORITY, mesh.pid, mesh);
    }
    if (wanted('node-h2')) {
      const bare = await startNodeChild(pinning, path.join(here, 'node-h2-proxy-child.js'), [String(server.port)], [...peerStartupFlags(pinning)]);
      stops.push(() => bare.stop());
      add('node-h2', bare.port, `127.0.0.1:${server.port}`, bare.pid, null);
    }
    if (wanted('nginx') && tools.nginx) {
      const nginx = await startGrpcNginx(tools.nginx.path, pinning, workDir, server.port);
      stops.push(() => nginx.stop());
      add('nginx', nginx.port, `127.0.0.1:${nginx.port}`, nginx.pid, null);
    } else if (wanted('nginx')) {
      skipped.push({ id: 'nginx', reason: 'nginx is not installed (apt-get install nginx-light)' });
    }
    return { server, meshConfig, rows, skipped, stop: () => stopAll(stops) };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

async function stopAll(stops: (() => Promise<void>)[]): Promise<void> {
  // Proxies first, the server last, so nothing logs errors about a vanished upstream.
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
