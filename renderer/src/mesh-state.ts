/**
 * The dashboard's copy of the mesh's state, fed by the push stream. The mesh owns the truth; this
 * only folds batches in. Subscribers are told at most once per animation frame, however many
 * batches arrive, so a busy mesh cannot make React render more often than the screen paints.
 */
import type { MeshInfo } from '../../shared/api.js';
import type { ServiceView } from '../../shared/model.js';
import type { PushBatch } from '../../shared/push.js';

export interface MeshSnapshot {
  connected: boolean;
  info: MeshInfo | null;
  services: ServiceView[] | null;
  requestCount: number;
}

type Listener = () => void;

export class MeshState {
  private snapshot: MeshSnapshot = { connected: false, info: null, services: null, requestCount: 0 };
  private readonly listeners = new Set<Listener>();
  private notifyScheduled = false;

  get current(): MeshSnapshot {
    return this.snapshot;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  setConnected(connected: boolean): void {
    if (this.snapshot.connected === connected) return;
    this.snapshot = { ...this.snapshot, connected };
    this.scheduleNotify();
  }

  apply(batch: PushBatch): void {
    let next = this.snapshot;
    for (const item of batch.items) {
      if (item.kind === 'info') next = { ...next, info: item.info };
      else if (item.kind === 'services') next = { ...next, services: item.services };
      else next = { ...next, requestCount: next.requestCount + 1 };
    }
    if (next === this.snapshot) return;
    this.snapshot = next;
    this.scheduleNotify();
  }

  private scheduleNotify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    const notify = () => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    };
    // Hidden tabs get no animation frames; a timer keeps their state from going stale.
    if (document.visibilityState === 'visible') requestAnimationFrame(notify);
    else setTimeout(notify, 500);
  }
}
