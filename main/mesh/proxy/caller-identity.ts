/**
 * Who sent a request, resolved by the proxy once per exchange: the request's own word (caller.ts),
 * else the operating system's view of the process that owns the client connection, else `shell`.
 *
 * The OS lookup is asynchronous (a /proc scan, once per connection, started when the connection is
 * accepted: a client that closes right after its answer, one connection per request as urllib and
 * requests without a session do, takes the socket's owner with it). While it runs, the caller is a
 * promise; whatever waits on it (fault rules per edge, the response's end, the event) waits on that.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { explicitCaller, SHELL_CALLER } from './caller.js';

/** What names a request's caller: its headers and its client connection (an HTTP/1.x request, or an HTTP/2 stream's). */
export type CallerSource = Pick<IncomingMessage, 'headers' | 'socket'>;

/** A caller's name, or a promise of it while the connection's OS lookup runs. */
export type CallerLookup = string | Promise<string>;

/** What the OS says about a client connection (the mesh's lookup: telemetry/connection-callers.ts). */
export interface ConnectionAttribution {
  readonly caller: string | null;
  readonly pending: boolean;
  readonly settled: Promise<string | null>;
}

/** Looks up (once per connection) which process is at the other end of a client connection. */
export type AttributeConnection = (socket: Socket) => ConnectionAttribution | null;

export class CallerIdentity {
  constructor(private readonly attribute: AttributeConnection | null = null) {}

  /** A client connection was accepted: its OS lookup starts now rather than at its first request. */
  connectionOpened(socket: Socket): void {
    this.attribute?.(socket);
  }

  /**
   * The caller of a request whose connection is still attached to it (at its start: Node detaches
   * the socket once the body has been read). `null` for a request that could not even be parsed.
   */
  of(req: CallerSource | null): CallerLookup {
    if (req === null) return SHELL_CALLER;
    const named = explicitCaller(req);
    if (named !== null) return named;
    const attribution = req.socket && this.attribute !== null ? this.attribute(req.socket) : null;
    if (attribution === null) return SHELL_CALLER;
    if (!attribution.pending) return attribution.caller ?? SHELL_CALLER;
    return attribution.settled.then((caller) => caller ?? SHELL_CALLER);
  }
}
