/**
 * The dashboard's copy of the mesh's state, fed by the push stream. The mesh owns the truth; this
 * only folds batches in. Subscribers are told at most once per animation frame, however many
 * batches arrive, so a busy mesh cannot make React render more often than the screen paints.
 * Request events are not kept here: views that show them (the request log) subscribe to them and
 * keep their own bounded lists. While none does, the connection asks the mesh to leave request
 * events out of the stream (`requestDemand`): an open dashboard on any other page costs the mesh
 * no event serialisation. The stats snapshots are also folded into a short history (about
 * three minutes), here rather than in a page, so the sparklines show the minutes before a panel
 * was opened, whichever page the user was on meanwhile.
 *
 * Batches are parsed with the contract's schema as they arrive (`receive`): a batch that does not
 * fit is rejected whole, nothing of it is applied, and the reason is kept for the page to show.
 */
import type { MeshInfo } from '../../shared/api.js';
import type { Bypass } from '../../shared/bypass.js';
import type { InstanceEvent, RequestEvent } from '../../shared/events.js';
import type { MockView } from '../../shared/mock.js';
import type { ServiceView } from '../../shared/model.js';
import { parsePushBatch, type PushBatch } from '../../shared/push.js';
import type { Fault, ServiceRoute } from '../../shared/routes.js';
import type { ShadowView } from '../../shared/shadow.js';
import type { StatsSnapshot } from '../../shared/stats.js';
import { StatsHistory } from './topology/stats-history.js';

export interface MeshSnapshot {
  connected: boolean;
  info: MeshInfo | null;
  services: ServiceView[] | null;
  stats: StatsSnapshot | null;
  routes: ServiceRoute[] | null;
  faults: Fault[] | null;
  /** Local processes calling instances past the proxy, as the mesh last listed them. */
  bypasses: Bypass[] | null;
  /** Recordings served as `<service>@recorded`, with their hits and misses. */
  mocks: MockView[] | null;
  /** Shadow rules in force, with what each copied and how many of its pairs differ. */
  shadows: ShadowView[] | null;
  /** The latest ejections, returns and panics, newest first (at most INSTANCE_EVENTS_KEPT). */
  instanceEvents: InstanceEvent[];
  /** Why the last batch was rejected; null while every batch fit the contract. */
  pushError: string | null;
}

const INSTANCE_EVENTS_KEPT = 100;

type Listener = () => void;
type RequestListener = (events: readonly RequestEvent[], dropped: number) => void;

export class MeshState {
  private snapshot: MeshSnapshot = {
    connected: false,
    info: null,
    services: null,
    stats: null,
    routes: null,
    faults: null,
    bypasses: null,
    mocks: null,
    shadows: null,
    instanceEvents: [],
    pushError: null,
  };
  private readonly listeners = new Set<Listener>();
  private readonly requestListeners = new Set<RequestListener>();
  private readonly demandListeners = new Set<() => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private notifyScheduled = false;
  readonly history = new StatsHistory();

  get current(): MeshSnapshot {
    return this.snapshot;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Request events, one call per pushed batch (at most ten a second). */
  subscribeRequests(listener: RequestListener): () => void {
    this.requestListeners.add(listener);
    if (this.requestListeners.size === 1) this.demandChanged();
    return () => {
      if (this.requestListeners.delete(listener) && this.requestListeners.size === 0) this.demandChanged();
    };
  }

  /** Whether any view wants request events now, i.e. whether the stream should carry them. */
  get wantsRequests(): boolean {
    return this.requestListeners.size > 0;
  }

  /** Told when `wantsRequests` changes; returns the unsubscribe. */
  onRequestDemand(listener: () => void): () => void {
    this.demandListeners.add(listener);
    return () => this.demandListeners.delete(listener);
  }

  setConnected(connected: boolean): void {
    if (this.snapshot.connected === connected) return;
    this.snapshot = { ...this.snapshot, connected };
    this.scheduleNotify();
    if (connected) for (const listener of this.reconnectListeners) listener();
  }

  /**
   * Told at once each time the stream (re)opens, so a view can fetch what it missed. Not through
   * `subscribe`: that is told once a frame, and a close and reopen within one frame would look
   * like no change at all.
   */
  onConnected(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Replaces one piece of state with the mesh's answer to a command (a reroute, say). */
  update(patch: Partial<Omit<MeshSnapshot, 'connected' | 'pushError'>>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.scheduleNotify();
  }

  /** One SSE message's data: applied when it is a batch of the contract; false when it was rejected. */
  receive(data: string): boolean {
    let batch: PushBatch;
    try {
      batch = parsePushBatch(data);
    } catch (error) {
      this.snapshot = { ...this.snapshot, pushError: error instanceof Error ? error.message : String(error) };
      this.scheduleNotify();
      return false;
    }
    this.apply(batch);
    return true;
  }

  apply(batch: PushBatch): void {
    let next = this.snapshot;
    const requests: RequestEvent[] = [];
    for (const item of batch.items) {
      switch (item.kind) {
        case 'info':
          next = { ...next, info: item.info };
          break;
        case 'services':
          next = { ...next, services: item.services };
          break;
        case 'stats':
          next = { ...next, stats: item.stats };
          this.history.add(item.stats);
          break;
        case 'routes':
          next = { ...next, routes: item.routes };
          break;
        case 'faults':
          next = { ...next, faults: item.faults };
          break;
        case 'request':
          requests.push(item.event);
          break;
        case 'bypasses':
          next = { ...next, bypasses: item.bypasses };
          break;
        case 'mocks':
          next = { ...next, mocks: item.mocks };
          break;
        case 'shadows':
          next = { ...next, shadows: item.shadows };
          break;
        case 'instance':
          next = { ...next, instanceEvents: [item.event, ...next.instanceEvents].slice(0, INSTANCE_EVENTS_KEPT) };
          break;
      }
    }
    if (requests.length > 0 || batch.dropped > 0) {
      for (const listener of this.requestListeners) listener(requests, batch.dropped);
    }
    if (next === this.snapshot) return;
    this.snapshot = next;
    this.scheduleNotify();
  }

  private demandChanged(): void {
    for (const listener of this.demandListeners) listener();
  }

  private scheduleNotify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    const notify = () => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    };
    // Hidden tabs get no animation frames; a timer keeps their state from going stale.
    if (typeof document !== 'undefined' && document.visibilityState === 'visible') requestAnimationFrame(notify);
    else setTimeout(notify, 100);
  }
}
