/**
 * The in-process bus request events travel on, one way: the proxy emits (exchange-reporter.ts),
 * listeners read. A listener that throws is its own problem: it must not break the exchange that
 * emitted the event, nor the other listeners.
 *
 * Events (starts and ends, in the order they were emitted) reach the listeners in batches, at the
 * end of the event loop's turn in which they were emitted (`setImmediate`), or at once on `flush()`.
 * The proxy's answer never waits for them either way. Batched, the telemetry's work for the
 * requests that finished in one turn runs back to back, with its code and its tables still in the
 * CPU's caches rather than each request's fold interleaved with the proxy's own work and the
 * upstream's on the same core: measured with `npm run bench:proxy` (6 paired rounds against the same
 * build delivering synchronously, Node upstream), 10% less of the mesh's CPU per request at 50
 * connections and 10% more requests a second, median (README, Performance). Whoever reads what the listeners keep calls `flush()`
 * first (telemetry.ts does), so a read sees every exchange that ended before it.
 */
import type { ProxiedExchange, RequestStart } from '../../../shared/events.js';
import type { ExchangeCapture } from '../../../shared/exchange.js';

type Listener = (event: ProxiedExchange, capture?: ExchangeCapture | null) => void;

export type { RequestStart };
type StartListener = (start: RequestStart) => void;

export class RequestEvents {
  private readonly listeners = new Set<Listener>();
  private readonly startListeners = new Set<StartListener>();
  private nextId = 1;
  /**
   * Waiting for delivery, in emission order, three slots each (no object per event): a start, or
   * null then an end and its capture.
   */
  private queue: (RequestStart | ProxiedExchange | ExchangeCapture | null | undefined)[] = [];
  private scheduled = false;
  private delivering = false;

  /** Anyone listens: the proxy gathers nothing for events otherwise. */
  get wanted(): boolean {
    return this.listeners.size > 0;
  }

  get wantsStarts(): boolean {
    return this.startListeners.size > 0;
  }

  /** A bound arrow: the reporter passes it on. */
  readonly newId = (): number => this.nextId++;

  emit(event: ProxiedExchange, capture?: ExchangeCapture | null): void {
    this.queue.push(null, event, capture);
    this.schedule();
  }

  emitStart(start: RequestStart): void {
    this.queue.push(start, null, null);
    this.schedule();
  }

  /**
   * Delivers every event emitted so far, now. Asked for by a listener while a batch is delivered (it
   * reads the telemetry), it returns at once: delivering the rest first would put them out of order.
   */
  readonly flush = (): void => {
    if (this.delivering) return;
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    // Listeners may emit (a shadow copy's own event): those wait for the next flush.
    this.queue = [];
    this.delivering = true;
    try {
      for (let i = 0; i < batch.length; i += 3) {
        const start = batch[i] as RequestStart | null;
        if (start !== null) this.deliverStart(start);
        else this.deliver(batch[i + 1] as ProxiedExchange, batch[i + 2] as ExchangeCapture | null | undefined);
      }
    } finally {
      this.delivering = false;
    }
  };

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribeStarts(listener: StartListener): () => void {
    this.startListeners.add(listener);
    return () => this.startListeners.delete(listener);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  private deliver(event: ProxiedExchange, capture: ExchangeCapture | null | undefined): void {
    for (const listener of this.listeners) {
      try {
        listener(event, capture);
      } catch {
        // See the header: a broken listener loses its own event, nothing else.
      }
    }
  }

  private deliverStart(start: RequestStart): void {
    for (const listener of this.startListeners) {
      try {
        listener(start);
      } catch {
        // As for events.
      }
    }
  }
}
