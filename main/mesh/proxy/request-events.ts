/**
 * The in-process bus request events travel on, one way: the proxy emits (exchange-reporter.ts),
 * listeners read. A listener that throws is its own problem: it must not break the exchange that
 * emitted the event, nor the other listeners.
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
    for (const listener of this.listeners) {
      try {
        listener(event, capture);
      } catch {
        // See the header: a broken listener loses its own event, nothing else.
      }
    }
  }

  emitStart(start: RequestStart): void {
    for (const listener of this.startListeners) {
      try {
        listener(start);
      } catch {
        // As for events.
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribeStarts(listener: StartListener): () => void {
    this.startListeners.add(listener);
    return () => this.startListeners.delete(listener);
  }
}
