/**
 * Faults the user injects: per service, optionally narrowed to one caller. Deliberately not
 * persisted: a forgotten fault that came back after a restart would look like a real outage.
 */
import type { Fault } from '../../../shared/routes.js';

type Listener = (faults: Fault[]) => void;

export class FaultTable {
  private readonly faults = new Map<string, Fault>();
  private readonly listeners = new Set<Listener>();

  /** The fault for this request: the caller-specific one first, then the service-wide one. */
  match(service: string, caller: string): Fault | undefined {
    if (this.faults.size === 0) return undefined;
    return this.faults.get(key(service, caller)) ?? this.faults.get(key(service, undefined));
  }

  /** Faults in force; the proxy skips fault matching (and caller lookup) while there are none. */
  get size(): number {
    return this.faults.size;
  }

  set(fault: Fault): Fault[] {
    this.faults.set(key(fault.service, fault.caller), fault);
    return this.changed();
  }

  clear(service: string, caller?: string): Fault[] {
    this.faults.delete(key(service, caller));
    return this.changed();
  }

  list(): Fault[] {
    return [...this.faults.values()];
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): Fault[] {
    const faults = this.list();
    for (const listener of this.listeners) listener(faults);
    return faults;
  }
}

function key(service: string, caller: string | undefined): string {
  return `${service.toLowerCase()}\u0000${caller?.toLowerCase() ?? ''}`;
}
