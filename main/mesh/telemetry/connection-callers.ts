/**
 * Caller attribution from the operating system, the third rule after the `x-meshdesk-caller` header
 * and the proxy URL's user name: the process that owns the client socket is matched to the
 * registered service whose port that same process listens on; else an unregistered process is named
 * by its command (`node`, `python3`); command-line tools and shells (`curl`, `bash`) are `shell`,
 * which is what the developer at the terminal is.
 *
 * Once per connection, never per request: the proxy calls `attributeConnection` when a connection
 * is accepted and reads `caller` when it builds an event. The lookup is async (socket-owner.ts
 * batches them), so the accept path never waits for it. The socket's owner must still hold it when
 * the lookup reads /proc, and a client that closes once answered would not: so while the lookup is
 * `pending`, the proxy holds that connection's answer for it, briefly (forward.ts,
 * ATTRIBUTION_HOLD_MS), and an event waits for `settled`. Only loopback peers are looked up: a
 * remote client's process is not on this machine.
 */
import type { Socket } from 'node:net';
import { SocketOwners, type SocketOwner } from '../os/socket-owner.js';

/** Registered instance ports → service name, as the registry has them at lookup time. */
export type ServicePorts = () => ReadonlyMap<number, string>;

export interface ConnectionCaller {
  /** The caller once the lookup has settled; null before, and when the OS could not tell. */
  readonly caller: string | null;
  /** True until the lookup settles. */
  readonly pending: boolean;
  /** Settles with `caller`; never rejects. */
  readonly settled: Promise<string | null>;
}

/** Processes that stand for the developer at a terminal rather than for a program of theirs. */
export const SHELL_COMMANDS: ReadonlySet<string> = new Set([
  'bash',
  'sh',
  'dash',
  'zsh',
  'fish',
  'ksh',
  'tcsh',
  'csh',
  'nu',
  'pwsh',
  'powershell',
  'xonsh',
  'elvish',
  'curl',
  'wget',
  'http',
  'https',
  'xh',
  'httpie',
  'curlie',
  'nc',
  'ncat',
  'netcat',
  'socat',
  'telnet',
  'grpcurl',
  'websocat',
  'ab',
  'hey',
  'wrk',
  'oha',
  'k6',
  'vegeta',
]);

export const SHELL = 'shell';

export interface ConnectionCallersOptions {
  owners?: SocketOwners;
  shellCommands?: ReadonlySet<string>;
}

export class ConnectionCallers {
  private readonly owners: SocketOwners;
  private readonly shellCommands: ReadonlySet<string>;
  /** One attribution per socket however often it is asked for. */
  private readonly bySocket = new WeakMap<Socket, ConnectionCaller>();

  constructor(options: ConnectionCallersOptions = {}) {
    this.owners = options.owners ?? new SocketOwners();
    this.shellCommands = options.shellCommands ?? SHELL_COMMANDS;
  }

  /** Starts (once) the lookup of who is at the other end of `socket`, a connection the proxy accepted. */
  attributeConnection(socket: Socket, servicePorts: ServicePorts): ConnectionCaller {
    const known = this.bySocket.get(socket);
    if (known) return known;
    const attribution = this.lookUp(socket, servicePorts);
    this.bySocket.set(socket, attribution);
    return attribution;
  }

  /** The caller a process stands for: its registered service, else its command name, else `shell`. */
  callerOf(owner: SocketOwner, servicePorts: ReadonlyMap<number, string>): string {
    for (const port of owner.listeningPorts) {
      const service = servicePorts.get(port);
      if (service) return service;
    }
    const command = owner.command.toLowerCase();
    return this.shellCommands.has(command) || command.length === 0 ? SHELL : command;
  }

  private lookUp(socket: Socket, servicePorts: ServicePorts): ConnectionCaller {
    const state: { caller: string | null; pending: boolean; settled: Promise<string | null> } = {
      caller: null,
      pending: false,
      settled: Promise.resolve(null),
    };
    const { remotePort, localPort, remoteAddress } = socket;
    if (remotePort === undefined || localPort === undefined || !isLoopback(remoteAddress)) return state;
    state.pending = true;
    state.settled = this.owners
      .find(remotePort, localPort)
      .then((owner) => (owner ? this.callerOf(owner, servicePorts()) : null))
      .catch(() => null)
      .then((caller) => {
        state.caller = caller;
        state.pending = false;
        return caller;
      });
    return state;
  }
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

interface RegistryLike {
  list(): readonly { name: string; versions: readonly { instances: readonly { port: number }[] }[] }[];
}

/** The registry's instance ports, read when a lookup settles (once per connection). */
export function servicePortsOf(registry: RegistryLike): ServicePorts {
  return () => {
    const ports = new Map<number, string>();
    for (const service of registry.list()) {
      for (const version of service.versions) {
        for (const instance of version.instances) if (!ports.has(instance.port)) ports.set(instance.port, service.name);
      }
    }
    return ports;
  };
}
