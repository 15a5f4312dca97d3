/**
 * The admin push stream: what the mesh tells the UI and `meshdesk tap` without being asked. Items are
 * queued as they happen and sent together, at most one batch per 100 ms, so a busy mesh never sends
 * a message per request. State items (services, info) carry the whole new state and are coalesced:
 * a batch holds only the latest of each.
 *
 * Readers parse every batch with `parsePushBatch` where it enters them (the dashboard, the CLI).
 * Measured on the largest batch (5,000 routed request events, 2.5 MB): validation costs about what
 * JSON.parse does, some 10 ms, at most ten times a second; a usual batch holds a few hundred. The
 * mesh writes batches without parsing them, off its hot path's budget; its types keep it to the
 * contract.
 */
import { z } from 'zod';
import { meshInfoSchema } from './api.js';
import { bypassSchema } from './bypass.js';
import { instanceEventSchema, requestEventSchema } from './events.js';
import { mockViewSchema } from './mock.js';
import { serviceViewSchema } from './model.js';
import { faultSchema, serviceRouteSchema } from './routes.js';
import { shadowViewSchema } from './shadow.js';
import { encodeStatsSnapshot, statsWireSchema } from './stats-wire.js';

export const pushItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('request'), event: requestEventSchema }),
  z.object({ kind: z.literal('services'), services: z.array(serviceViewSchema) }),
  z.object({ kind: z.literal('info'), info: meshInfoSchema }),
  /** Sent about once a second while anyone listens; in rows on the wire (stats-wire.ts), a StatsSnapshot once parsed. */
  z.object({ kind: z.literal('stats'), stats: statsWireSchema }),
  z.object({ kind: z.literal('routes'), routes: z.array(serviceRouteSchema) }),
  z.object({ kind: z.literal('faults'), faults: z.array(faultSchema) }),
  /** An instance ejected by passive health (circuit breaking), returned, or a version in panic. */
  z.object({ kind: z.literal('instance'), event: instanceEventSchema }),
  /** Every current bypass (a process calling an instance past the proxy), sent whenever one appears, goes or changes. */
  z.object({ kind: z.literal('bypasses'), bypasses: z.array(bypassSchema) }),
  /** Every mock served, sent when one is served or stopped and, at most four times a second, as it answers. */
  z.object({ kind: z.literal('mocks'), mocks: z.array(mockViewSchema) }),
  /** Every shadow rule with its counts, sent when one starts or stops and, at most once a second, while pairs are compared. */
  z.object({ kind: z.literal('shadows'), shadows: z.array(shadowViewSchema) }),
]);
export type PushItem = z.infer<typeof pushItemSchema>;
/** An item as it is written: the stats in rows. */
export type PushWireItem = z.input<typeof pushItemSchema>;

/** What a writer of the stream sends for `item` (the mesh, and the stand-ins of the tests and benchmarks). */
export function toWireItem(item: PushItem): PushWireItem {
  return item.kind === 'stats' ? { kind: 'stats', stats: encodeStatsSnapshot(item.stats) } : item;
}

export const pushBatchSchema = z.object({
  /** Increases by one per batch on a connection; a gap means the client fell behind. */
  seq: z.number().int().positive(),
  items: z.array(pushItemSchema),
  /** Request events dropped because the client was too slow or the burst too large. */
  dropped: z.number().int().nonnegative(),
});
export type PushBatch = z.infer<typeof pushBatchSchema>;
/** A batch as it is written; `JSON.stringify(toWireBatch(batch))` is one SSE message's data. */
export type PushWireBatch = z.input<typeof pushBatchSchema>;

export function toWireBatch(batch: PushBatch): PushWireBatch {
  return { ...batch, items: batch.items.map(toWireItem) };
}

export const PUSH_INTERVAL_MS = 100;
export const SSE_EVENT = 'batch';
/**
 * What request events a client of the stream is sent, asked with `?requests=` on its URL and
 * applied at the source, per subscriber (as Linkerd's tap filters):
 * - `none`: no request events, state items only (the dashboard while no request log is open: it
 *   then costs the mesh no event serialisation);
 * - `rows`: what the request log's rows show, i.e. each event without `attempts` and `decision`,
 *   which the detail pane fetches with getExchange (about 40% fewer bytes to write and to parse);
 * - `full` (also when absent): whole events (`meshdesk tap -o json`, scripts, older clients).
 */
export const PUSH_REQUESTS_PARAM = 'requests';
export const pushRequestsScopeSchema = z.enum(['none', 'rows', 'full']);
export type PushRequestsScope = z.infer<typeof pushRequestsScopeSchema>;

/** A batch that is not JSON or does not fit the contract; the message says where it went wrong. */
export class PushBatchError extends Error {
  override readonly name = 'PushBatchError';
}

/** Parses one SSE message's data; throws PushBatchError naming the first problems found. */
export function parsePushBatch(data: string): PushBatch {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new PushBatchError('the mesh sent a push batch that is not JSON');
  }
  const parsed = pushBatchSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || 'batch'}: ${issue.message}`);
  throw new PushBatchError(`the mesh sent a push batch that does not fit the contract (${problems.join('; ')})`);
}
