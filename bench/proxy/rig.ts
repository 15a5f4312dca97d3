/**
 * Starts everything one benchmark run needs, side by side, before any row is measured: the upstream,
 * then each proxy pointed at it. Idle servers cost nothing, and measuring rows one after another
 * against the same upstream process keeps the comparison fair. Rows whose tool is missing are
 * skipped with the reason, never silently. Most rows are driven by wrk; the two that compare
 * CONNECT tunnels with absolute URIs are driven by the bench's own Node generator (tunnel-load.ts),
 * since wrk cannot open a tunnel, on the same events-on Meshdesk process as the wrk rows.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildStats } from './child-channel.js';
import { LOAD_CORE, startNodeChild, type Pinning } from './children.js';
import { startMitmdump } from './mitmproxy.js';
import { startNginx } from './nginx.js';
import type { BenchOptions, UpstreamKind } from './options.js';
import { clockTicksPerSecond, sampleProcess } from './proc-stats.js';
import type { Tools } from './tools.js';
import type { NodeLoadTarget } from './tunnel-load.js';
import type { WrkTarget } from './wrk.js';

/** Which load generator drives a row, and what it sends. */
export type RowLoad = { generator: 'wrk'; target: WrkTarget } | { generator: 'node'; target: NodeLoadTarget };

export type Row = RowLoad & {
  id: string;
  label: string;
  /** The process whose RSS and CPU the row reports (the proxy; the upstream for `direct`). */
  pid: number;
  /** Asks a Node child about itself (heap, counted requests); null for nginx. */
  stats: (() => Promise<ChildStats>) | null;
  note: string | null;
};

export interface Rig {
  upstream: { kind: UpstreamKind; pid: number; port: number };
  rows: Row[];
  skipped: { id: string; label: string; reason: string }[];
  /** Each Meshdesk process's RSS right after it started, before any request. */
  startRss: { events: keyof typeof MESH_ROWS; rssBytes: number }[];
  stop(): Promise<void>;
}

export const ROW_LABELS: Record<string, string> = {
  direct: 'direct (no proxy)',
  'mesh-host-on': 'Meshdesk, Host header, events on',
  'mesh-forward-on': 'Meshdesk, absolute URI, events on',
  'mesh-host-off': 'Meshdesk, Host header, events off',
  'mesh-forward-off': 'Meshdesk, absolute URI, events off',
  'mesh-forward-node-on': 'Meshdesk, absolute URI (node generator), events on',
  'mesh-tunnel-on': 'Meshdesk, inside CONNECT tunnels (Node fetch shape), events on',
  'mesh-host-dash': 'Meshdesk, Host header, dashboard attached',
  'mesh-forward-dash': 'Meshdesk, absolute URI, dashboard attached',
  'mesh-host-alt': 'Meshdesk, Host header, events on, --alt-node-flags',
  'mesh-forward-alt': 'Meshdesk, absolute URI, events on, --alt-node-flags',
  'http-proxy': 'bare http-proxy-3',
  undici: 'bare undici Pool.stream',
  nginx: 'nginx reverse proxy',
  mockttp: 'mockttp (HTTP Toolkit engine)',
  mitmproxy: 'mitmproxy (mitmdump, reverse mode)',
};

const here = path.dirname(fileURLToPath(import.meta.url));
export const childScript = (name: string) => path.join(here, `${name}.js`);

/** The service the Meshdesk children register the upstream as, and every Meshdesk row names. */
export const BENCH_SERVICE = 'bench';

/**
 * Rows measured on each Meshdesk process: events on, events off, and events on with a dashboard
 * attached (a push-stream client reading every batch, dashboard-child.ts). One process each, so an
 * attached stream never runs during another row.
 */
const MESH_ROWS = {
  on: ['mesh-host-on', 'mesh-forward-on', 'mesh-forward-node-on', 'mesh-tunnel-on'],
  off: ['mesh-host-off', 'mesh-forward-off'],
  dash: ['mesh-host-dash', 'mesh-forward-dash'],
  alt: ['mesh-host-alt', 'mesh-forward-alt'],
} as const;

/** The meshdesk.yaml the Meshdesk children load: one service, `bench`, at the upstream. */
export function writeMeshConfig(workDir: string, upstreamPort: number): string {
  const file = path.join(workDir, 'meshdesk.yaml');
  writeFileSync(file, `proxy:\n  mode: reject\nservices:\n  ${BENCH_SERVICE}:\n    instances: [127.0.0.1:${upstreamPort}]\n`);
  return file;
}

/** The upstreams the rows are measured behind, in order (the long run uses the first). */
export function chooseUpstreams(options: BenchOptions, tools: Tools): UpstreamKind[] {
  if ((options.upstream === 'nginx' || options.upstream === 'both') && !tools.nginx)
    throw new Error(`--upstream ${options.upstream}: nginx is not installed (apt-get install nginx-light)`);
  if (options.upstream === 'auto') return [tools.nginx ? 'nginx' : 'node'];
  if (options.upstream === 'both') return ['nginx', 'node'];
  return [options.upstream];
}

export async function startRig(options: BenchOptions, tools: Tools, pinning: Pinning, workDir: string, kind: UpstreamKind): Promise<Rig> {
  const stops: (() => Promise<void>)[] = [];
  const wanted = (id: string) => options.only.length === 0 || options.only.includes(id);
  const rows: Row[] = [];
  const skipped: Rig['skipped'] = [];
  const startRss: Rig['startRss'] = [];
  try {
    const upstream =
      kind === 'nginx' && tools.nginx
        ? await startNginx(tools.nginx.path, pinning, workDir, { kind: 'upstream' })
        : await startNodeChild(pinning, childScript('upstream-child'), [], options.peerNodeFlags);
    stops.push(() => upstream.stop());
    const add = (id: string, pid: number, target: WrkTarget, stats: Row['stats'], note: string | null) =>
      rows.push({ id, label: ROW_LABELS[id] ?? id, pid, generator: 'wrk', target, stats, note });
    const addNode = (id: string, pid: number, target: NodeLoadTarget, stats: Row['stats'], note: string | null) =>
      rows.push({ id, label: ROW_LABELS[id] ?? id, pid, generator: 'node', target, stats, note });
    const origin = { port: upstream.port, host: null, requestTarget: null };

    if (wanted('direct')) add('direct', upstream.pid, origin, null, null);
    const config = writeMeshConfig(workDir, upstream.port);
    for (const events of ['on', 'off', 'dash', 'alt'] as const) {
      if (!MESH_ROWS[events].some(wanted)) continue;
      if (events === 'alt' && options.altNodeFlags.length === 0) continue;
      const profile = options.profile && events === options.profileMesh ? profileArgs(options.resultsDir) : [];
      const flags = events === 'alt' ? [...options.meshNodeFlags, ...options.altNodeFlags] : options.meshNodeFlags;
      const mesh = await startNodeChild(
        pinning,
        childScript('meshdesk-child'),
        [config, events === 'off' ? 'off' : 'on', String(options.eventRing)],
        [...flags, ...profile],
      );
      stops.push(() => mesh.stop());
      const rss = sampleProcess(mesh.pid, clockTicksPerSecond())?.rssBytes;
      if (rss !== undefined) startRss.push({ events, rssBytes: rss });
      if (events === 'dash') {
        if (!mesh.admin) throw new Error('the Meshdesk child did not say where its admin API is');
        const dashboard = await startNodeChild(pinning, childScript('dashboard-child'), [mesh.admin.url, mesh.admin.token, options.dashboard], [], LOAD_CORE);
        stops.push(() => dashboard.stop());
      }
      const host = { port: mesh.port, host: BENCH_SERVICE, requestTarget: null };
      const forward = { port: mesh.port, host: BENCH_SERVICE, requestTarget: `http://${BENCH_SERVICE}/` };
      if (wanted(`mesh-host-${events}`)) add(`mesh-host-${events}`, mesh.pid, host, mesh.stats, mesh.note);
      if (wanted(`mesh-forward-${events}`)) add(`mesh-forward-${events}`, mesh.pid, forward, mesh.stats, mesh.note);
      if (events !== 'on') continue;
      // The same process as the wrk rows: the tunnel and its reference see the same heap and JIT state.
      if (wanted('mesh-forward-node-on'))
        addNode('mesh-forward-node-on', mesh.pid, { port: mesh.port, shape: 'absolute', service: BENCH_SERVICE }, mesh.stats, mesh.note);
      if (wanted('mesh-tunnel-on')) addNode('mesh-tunnel-on', mesh.pid, { port: mesh.port, shape: 'connect', service: BENCH_SERVICE }, mesh.stats, mesh.note);
    }
    for (const id of ['http-proxy', 'undici'] as const) {
      if (!wanted(id)) continue;
      const child = await startNodeChild(pinning, childScript(`${id}-child`), [String(upstream.port)], options.peerNodeFlags);
      stops.push(() => child.stop());
      add(id, child.pid, { port: child.port, host: null, requestTarget: null }, child.stats, null);
    }
    if (wanted('nginx')) {
      if (tools.nginx) {
        const proxy = await startNginx(tools.nginx.path, pinning, workDir, { kind: 'proxy', upstreamPort: upstream.port });
        stops.push(() => proxy.stop());
        add('nginx', proxy.pid, { port: proxy.port, host: null, requestTarget: null }, null, null);
      } else {
        skipped.push({ id: 'nginx', label: ROW_LABELS.nginx ?? 'nginx', reason: 'nginx is not installed (apt-get install nginx-light)' });
      }
    }
    if (wanted('mockttp')) {
      const child = await startNodeChild(pinning, childScript('mockttp-child'), [String(upstream.port)], options.peerNodeFlags);
      stops.push(() => child.stop());
      add('mockttp', child.pid, { port: child.port, host: null, requestTarget: null }, child.stats, child.note);
    }
    if (wanted('mitmproxy')) {
      if (tools.mitmdump) {
        const mitm = await startMitmdump(tools.mitmdump.path, pinning, workDir, upstream.port);
        stops.push(() => mitm.stop());
        add('mitmproxy', mitm.pid, { port: mitm.port, host: null, requestTarget: null }, null, `mitmdump ${tools.mitmdump.version}`);
      } else {
        skipped.push({ id: 'mitmproxy', label: ROW_LABELS.mitmproxy ?? 'mitmproxy', reason: 'mitmdump is not installed (apt-get install mitmproxy)' });
      }
    }
    return { upstream: { kind, pid: upstream.pid, port: upstream.port }, rows, skipped, startRss, stop: () => stopAll(stops) };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

export function profileArgs(resultsDir: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${path.resolve(resultsDir, 'profiles')}`];
}

async function stopAll(stops: (() => Promise<void>)[]): Promise<void> {
  // Proxies first, the upstream last, so nothing logs errors about a vanished upstream.
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
