/**
 * The in-process bus request events travel on, one way: the proxy emits (exchange-reporter.ts),
 * listeners read. A listener that throws is its own problem: it must not break the exchange that
 * emitted the event, nor the other listeners.
 *
 * Events (starts and ends, in the order they were emitted) reach the listeners in batches, at the
 * end of the event loop's turn in which an end was emitted (`setImmediate`), or at once on
 * `flush()`; a start alone waits for the next of either (see emitStart).
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
type Slot = RequestStart | ProxiedExchange | ExchangeCapture | null | undefined;

/** A turn's queue larger than this (about 1,300 events) is not kept for the next turn. */
const MAX_KEPT_SLOTS = 4_096;
/** Starts alone (no end among them) wait at most this many slots (about 300 starts) for a delivery. */
const START_SLOTS_UNSCHEDULED = 1_024;

export type { RequestStart };
type StartListener = (start: RequestStart) => void;

export class RequestEvents {
  private readonly listeners = new Set<Listener>();
  private readonly startListeners = new Set<StartListener>();
  private nextId = 1;
  /**
   * Waiting for delivery, in emission order, three slots each (no object per event): a start, or
   * null then an end and its capture; the first `queued` slots are in use. Two arrays take turns,
   * each kept with its backing store: a fresh array per turn grew a 17-slot store for one request's
   * three slots, twice a request at one connection (its start and its end come in separate turns).
   */
  private queue: Slot[] = [];
  private queued = 0;
  private spare: Slot[] = [];
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
    this.enqueue(null, event, capture);
    this.schedule();
  }

  /**
   * A start waits for the batch of the next end, or for the next `flush`, rather than a turn of its
   * own: its one reader, the in-flight counts, is only read through the telemetry, which flushes
   * first. At one connection a request's start and end come in separate turns, and a batch each
   * made two deliveries a request. Past START_SLOTS_UNSCHEDULED waiting slots (a burst of requests
   * that have not ended) a delivery is scheduled all the same, to bound the queue.
   */
  emitStart(start: RequestStart): void {
    this.enqueue(start, null, null);
    if (this.queued > START_SLOTS_UNSCHEDULED) this.schedule();
  }

  /**
   * Delivers every event emitted so far, now. Asked for by a listener while a batch is delivered (it
   * reads the telemetry), it returns at once: delivering the rest first would put them out of order.
   */
  readonly flush = (): void => {
    if (this.delivering) return;
    this.scheduled = false;
    const batch = this.queue;
    const slots = this.queued;
    if (slots === 0) return;
    // Listeners may emit (a shadow copy's own event): those wait for the next flush.
    this.queue = this.spare;
    this.queued = 0;
    this.delivering = true;
    try {
      for (let i = 0; i < slots; i += 3) {
        const start = batch[i] as RequestStart | null;
        if (start !== null) this.deliverStart(start);
        else this.deliver(batch[i + 1] as ProxiedExchange, batch[i + 2] as ExchangeCapture | null | undefined);
      }
    } finally {
      this.delivering = false;
      // Let go of the events, keep the store; one a burst grew past the usual is given back.
      if (batch.length > MAX_KEPT_SLOTS) this.spare = [];
      else {
        batch.fill(undefined, 0, slots);
        this.spare = batch;
      }
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

  private enqueue(start: RequestStart | null, event: ProxiedExchange | null, capture: ExchangeCapture | null | undefined): void {
    const { queue } = this;
    queue[this.queued] = start;
    queue[this.queued + 1] = event;
    queue[this.queued + 2] = capture;
    this.queued += 3;
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
