/**
 * The in-process bus request events travel on. The proxy asks `wanted` before building an event,
 * so when nobody listens the hot path pays one boolean check.
 */
import type { RequestEvent } from '../../../shared/events.js';

type Listener = (event: RequestEvent) => void;

export class RequestEvents {
  private readonly listeners = new Set<Listener>();
  private nextId = 1;

  get wanted(): boolean {
    return this.listeners.size > 0;
  }

  newId(): number {
    return this.nextId++;
  }

  emit(event: RequestEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
