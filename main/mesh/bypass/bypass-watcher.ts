/**
 * Live bypass detection: local processes connected straight to a registered instance, past the
 * proxy (Node's fetch without NODE_USE_ENV_PROXY, a name in NO_PROXY, Java without its proxy
 * properties, Go or anything calling `127.0.0.1:port`). Such calls are invisible to the proxy, so
 * the only witness is the OS connection table.
 *
 * Built to cost next to nothing in the proxy's process:
 * - A timer (unref'd, so it never keeps the process alive) runs only while instances are
 *   registered; each tick is one read of the connection table filtered to instance ports
 *   (connection-table.ts), which tells the mesh's own sockets apart: its upstream pools, health
 *   probes and HTTP/2 sessions are placed once, never looked up, and so can never be reported
 *   (nor can another meshdesk's, found by its command line).
 * - Only connections not seen before are looked up, through the batched socket-owner lookup, and a
 *   connection is looked up once (one whose owner could not be told is not asked about again).
 * - A process is diagnosed once, when its first bypassing connection is seen.
 *
 * A connection is seen only if it is open when the table is read: pooled clients (Node's fetch,
 * Java's HttpClient, Go's http.Client, a requests Session) keep theirs open and are found within a
 * tick; a client opening one short connection per request may be missed for a while.
 */
import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import type { Bypass } from '../../../shared/bypass.js';
import { connectionsTo, type OutboundConnection } from '../os/connection-table.js';
import { readProcessInfo, type ProcessInfo } from '../os/process-info.js';
import { SocketOwners, type SocketOwner } from '../os/socket-owner.js';
import { isLoopbackHost } from '../registry/address.js';
import { diagnoseBypass } from './bypass-diagnosis.js';

export interface WatchedInstance {
  service: string;
  version: string;
  /** `host:port`, as registered. */
  address: string;
  host: string;
  port: number;
}

export interface BypassWatcherOptions {
  /** The registered instances, read at each tick. */
  instances: () => readonly WatchedInstance[];
  /** Where the proxy listens, for the fixes. */
  proxyUrl: () => string;
  /** Default 1 s. */
  intervalMs?: number;
  /** How long a bypass stays listed after its last connection was seen; default 60 s. */
  keepMs?: number;
  /** This process, whose connections are the mesh's own. */
  selfPid?: number;
  /** Seams for tests; the OS by default. */
  listConnections?: (ports: ReadonlySet<number>, selfPid: number, known: (key: string) => boolean) => Promise<OutboundConnection[]>;
  owners?: Pick<SocketOwners, 'find'>;
  processInfo?: (pid: number) => Promise<ProcessInfo>;
  now?: () => number;
}

type ChangeListener = (bypasses: Bypass[], added: Bypass[]) => void;

export class BypassWatcher {
  private readonly options: Required<Omit<BypassWatcherOptions, 'instances' | 'proxyUrl'>> & Pick<BypassWatcherOptions, 'instances' | 'proxyUrl'>;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  /** Connections seen, by key → the bypass they count for (null: the mesh's own, or no owner found). */
  private readonly seen = new Map<string, string | null>();
  private readonly bypasses = new Map<string, Bypass>();
  /** Other meshdesk processes (another workspace's mesh): their upstream connections are that mesh's own. */
  private readonly otherMeshes = new Set<number>();
  private readonly listeners = new Set<ChangeListener>();

  constructor(options: BypassWatcherOptions) {
    this.options = {
      intervalMs: 1_000,
      keepMs: 60_000,
      selfPid: process.pid,
      listConnections: (ports, selfPid, known) => connectionsTo(ports, selfPid, undefined, known),
      owners: new SocketOwners(),
      processInfo: readProcessInfo,
      now: Date.now,
      ...options,
    };
  }

  /** Starts the timer, or stops it when no instance is registered; call again when the registry changes. */
  refresh(): void {
    const wanted = this.options.instances().length > 0;
    if (wanted && !this.timer) {
      this.timer = setInterval(() => void this.poll(), this.options.intervalMs);
      this.timer.unref();
    } else if (!wanted && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Told the whole list whenever a bypass appears, goes or changes how many connections it holds open. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Current bypasses, most recently seen first. */
  list(): Bypass[] {
    return [...this.bypasses.values()].sort((a, b) => b.lastSeen - a.lastSeen || a.id.localeCompare(b.id));
  }

  /** One look at the connection table; a tick that finds the previous one still running waits for it instead. */
  poll(): Promise<void> {
    this.polling ??= this.look().finally(() => (this.polling = null));
    return this.polling;
  }

  private async look(): Promise<void> {
    const instances = this.options.instances();
    const byPort = new Map<number, WatchedInstance[]>();
    for (const instance of instances) byPort.set(instance.port, [...(byPort.get(instance.port) ?? []), instance]);
    const known = (key: string) => this.seen.has(key);
    const connections = await this.options.listConnections(new Set(byPort.keys()), this.options.selfPid, known).catch(() => []);
    const now = this.options.now();
    const open = new Map<string, number>();
    const added: Bypass[] = [];
    let changed = false;
    const fresh: { connection: OutboundConnection; instance: WatchedInstance }[] = [];
    const alive = new Set<string>();
    for (const connection of connections) {
      const instance = instanceAt(connection, byPort.get(connection.remotePort) ?? []);
      if (!instance) continue;
      alive.add(connection.key);
      if (this.seen.has(connection.key)) continue;
      // The mesh's own (an upstream pool's, a health probe's): placed once, never looked up.
      if (connection.own) this.seen.set(connection.key, null);
      else fresh.push({ connection, instance });
    }
    // Every new connection's owner at once: socket-owner batches concurrent questions into one scan.
    const owners = await Promise.all(fresh.map(({ connection }) => this.options.owners.find(connection.localPort, connection.remotePort).catch(() => null)));
    const services = servicePorts(instances);
    for (const [index, { connection, instance }] of fresh.entries()) {
      const owner = owners[index] ?? null;
      if (!owner || owner.pid === this.options.selfPid || this.otherMeshes.has(owner.pid)) {
        this.seen.set(connection.key, null);
        continue;
      }
      const id = `${owner.pid}:${owner.command}>${instance.service}`;
      this.seen.set(connection.key, id);
      const known = this.bypasses.get(id);
      if (known) {
        const instancesSeen = known.instances.includes(instance.address) ? known.instances : [...known.instances, instance.address];
        this.bypasses.set(id, { ...known, instances: instancesSeen, connections: known.connections + 1 });
        continue;
      }
      const info = await this.options.processInfo(owner.pid).catch((): ProcessInfo => ({ argv: [], env: null }));
      if (isMeshdesk(info.argv)) {
        this.otherMeshes.add(owner.pid);
        this.seen.set(connection.key, null);
        continue;
      }
      const bypass = this.newBypass(id, owner, info, instance, services, now);
      this.bypasses.set(id, bypass);
      added.push(bypass);
      changed = true;
    }
    for (const key of [...this.seen.keys()]) {
      const id = this.seen.get(key);
      if (!alive.has(key)) this.seen.delete(key);
      else if (id) open.set(id, (open.get(id) ?? 0) + 1);
    }
    for (const [id, bypass] of this.bypasses) {
      const openNow = open.get(id) ?? 0;
      if (openNow === 0 && now - bypass.lastSeen > this.options.keepMs) {
        this.bypasses.delete(id);
        changed = true;
        continue;
      }
      if (openNow !== bypass.open) changed = true;
      this.bypasses.set(id, { ...bypass, open: openNow, lastSeen: openNow > 0 ? now : bypass.lastSeen });
    }
    if (!changed) return;
    const list = this.list();
    for (const listener of this.listeners) {
      try {
        listener(list, added);
      } catch {
        // A consumer's bug must not stop the watcher or the other consumers.
      }
    }
  }

  private newBypass(id: string, owner: SocketOwner, info: ProcessInfo, instance: WatchedInstance, services: ReadonlyMap<number, string>, now: number): Bypass {
    const callerService = owner.listeningPorts.map((port) => services.get(port)).find((name) => name !== undefined) ?? null;
    const diagnosis = diagnoseBypass({
      command: owner.command,
      argv: info.argv,
      env: info.env,
      service: instance.service,
      instance: instance.address,
      proxyUrl: this.options.proxyUrl(),
    });
    return {
      id,
      caller: callerService ?? `${owner.command} pid ${owner.pid}`,
      callerService,
      pid: owner.pid,
      command: owner.command,
      ...diagnosis,
      service: instance.service,
      version: instance.version,
      instances: [instance.address],
      firstSeen: now,
      lastSeen: now,
      connections: 1,
      open: 0,
    };
  }
}

/** `node [flags] …/bin/meshdesk.js serve`, or the packaged app (`…/meshdesk`, `Meshdesk.exe`): a mesh, not a client. */
function isMeshdesk(argv: readonly string[]): boolean {
  return /(^|[/\\])meshdesk(\.exe)?$/i.test(argv[0] ?? '') || argv.some((arg) => /(^|[/\\])meshdesk\.js$/.test(arg));
}

/** Instance ports → the service served there, to name a caller the way the proxy's attribution does. */
function servicePorts(instances: readonly WatchedInstance[]): Map<number, string> {
  const ports = new Map<number, string>();
  for (const instance of instances) if (!ports.has(instance.port)) ports.set(instance.port, instance.service);
  return ports;
}

/**
 * The instance a connection reached: the one on its remote port whose host is that address. Loopback
 * addresses are one machine (a server on `localhost` answers 127.0.0.1 and ::1 alike); a host name
 * other than localhost matches a connection to any address of this machine, where it most likely
 * resolves; an address elsewhere (a container's, a LAN box's) must be the one connected to.
 */
export function instanceAt(connection: Pick<OutboundConnection, 'remoteAddress'>, candidates: readonly WatchedInstance[]): WatchedInstance | null {
  const remote = unmapped(connection.remoteAddress);
  const remoteLoopback = isLoopbackHost(remote);
  let local: Set<string> | null = null;
  for (const instance of candidates) {
    const host = unmapped(instance.host.toLowerCase());
    if (host === remote || (remoteLoopback && isLoopbackHost(host))) return instance;
    if (host === '0.0.0.0' || host === '::' || isIP(host) === 0) {
      local ??= localAddresses();
      if (remoteLoopback || local.has(remote)) return instance;
    }
  }
  return null;
}

function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function localAddresses(): Set<string> {
  return new Set(
    Object.values(networkInterfaces())
      .flat()
      .flatMap((entry) => (entry ? [entry.address.toLowerCase()] : [])),
  );
}
