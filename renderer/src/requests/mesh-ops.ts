/**
 * Admin calls the request log makes beyond reading the log.
 *
 * - `replay` (shared/replay.ts): the browser cannot send through the proxy (a page cannot use an
 *   HTTP proxy, and the mesh must attribute and log the resend), so the mesh resends the exchange.
 * - Revealing masked headers: the mesh keeps their real values in memory only and masks them on
 *   every way out; `getExchange` with `reveal` shows them for one exchange, on the user's request.
 */
import type { AdminClient } from '../../../shared/admin-client.js';
import type { Exchange } from '../../../shared/exchange.js';
import type { GrpcDecoding } from '../../../shared/grpc-messages.js';
import type { ReplayInput, ReplayResult } from '../../../shared/replay.js';

export function replayExchange(client: AdminClient, input: ReplayInput): Promise<ReplayResult> {
  return client.call('replay', input);
}

export function decodeGrpc(client: AdminClient, id: number): Promise<GrpcDecoding> {
  return client.call('decodeGrpc', { id });
}

export function fetchExchange(client: AdminClient, id: number, reveal = false): Promise<Exchange> {
  return client.call('getExchange', reveal ? { id, reveal: true } : { id });
}
