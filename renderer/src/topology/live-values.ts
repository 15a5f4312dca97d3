/**
 * The graph's once-a-second values (a node's `12 rps · 99.5%`, an edge's stroke width) delivered
 * straight to the small component that shows each one, keyed by node or edge id. Were they part of
 * the node and edge objects handed to React Flow, every stats update would replace most of those
 * objects, and React Flow re-renders a replaced node with all its handles and every edge attached to
 * it: on a 200-service mesh that was a 60–100 ms task each second (bench/graph). Here React Flow
 * sees nothing change, and only the texts and widths that did change re-render.
 *
 * The values are a function of the latest graph like everything else; `publish` runs after the
 * render that computed them (a layout effect), and a component shows the value it was created with
 * until a newer one arrives.
 */
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';

export class LiveValues {
  private readonly values = new Map<string, string | number>();
  private readonly listeners = new Map<string, Set<() => void>>();

  /** Stores every value and tells the components showing a key whose value changed. */
  publish(next: ReadonlyMap<string, string | number>): void {
    const changed: (() => void)[] = [];
    for (const [key, value] of next) {
      if (this.values.get(key) === value) continue;
      this.values.set(key, value);
      for (const listener of this.listeners.get(key) ?? []) changed.push(listener);
    }
    for (const key of this.values.keys()) if (!next.has(key)) this.values.delete(key);
    for (const listener of changed) listener();
  }

  get(key: string): string | number | undefined {
    return this.values.get(key);
  }

  subscribe(key: string, listener: () => void): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }
}

export const LiveValuesContext = createContext<LiveValues | null>(null);

/** The latest value published for `key`, or `initial` (what the node or edge was created with) until then. */
export function useLiveValue<T extends string | number>(key: string, initial: T): T {
  const store = useContext(LiveValuesContext);
  const subscribe = useCallback((listener: () => void) => store?.subscribe(key, listener) ?? (() => {}), [store, key]);
  const read = () => (store?.get(key) as T | undefined) ?? initial;
  return useSyncExternalStore(subscribe, read, read);
}
