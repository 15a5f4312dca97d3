/**
 * The admin push stream: what the mesh tells the UI and `meshdesk tap` without being asked. Items are
 * queued as they happen and sent together, at most one batch per 100 ms, so a busy mesh never sends
 * a message per request. State items (services, info) carry the whole new state and are coalesced:
 * a batch holds only the latest of each.
 */
import type { MeshInfo } from './api.js';
import type { InstanceEvent, RequestEvent } from './events.js';
import type { ServiceView } from './model.js';
import type { Fault, ServiceRoute } from './routes.js';
import type { StatsSnapshot } from './stats.js';

export type PushItem =
  | { kind: 'request'; event: RequestEvent }
  | { kind: 'services'; services: ServiceView[] }
  | { kind: 'info'; info: MeshInfo }
  /** Sent about once a second while anyone listens. */
  | { kind: 'stats'; stats: StatsSnapshot }
  | { kind: 'routes'; routes: ServiceRoute[] }
  | { kind: 'faults'; faults: Fault[] }
  /** An instance ejected by passive health (circuit breaking), returned, or a version in panic. */
  | { kind: 'instance'; event: InstanceEvent };

export interface PushBatch {
  /** Increases by one per batch on a connection; a gap means the client fell behind. */
  seq: number;
  items: PushItem[];
  /** Request events dropped because the client was too slow or the burst too large. */
  dropped: number;
}

export const PUSH_INTERVAL_MS = 100;
export const SSE_EVENT = 'batch';
