/**
 * Whether passive health (circuit breaking) has an instance out of the pool right now, and why: the
 * newest ejection or return the mesh pushed for it decides. Pure, so the panel renders it from the
 * pushed events without keeping state of its own.
 */
import type { InstanceEvent } from '../../../shared/events.js';

export interface Ejection {
  until: number;
  reason: string;
  ejections: number;
}

/** `events` newest first, as MeshState keeps them. */
export function ejectionOf(events: readonly InstanceEvent[], service: string, version: string, instance: string, now: number): Ejection | null {
  for (const event of events) {
    if (event.service !== service || event.version !== version || event.instance !== instance) continue;
    if (event.kind !== 'ejected' || event.until === null || event.until <= now) return null;
    return { until: event.until, reason: event.reason, ejections: event.ejections };
  }
  return null;
}

/** Versions whose ejections were overridden because they would have left nothing to route to. */
export function inPanic(events: readonly InstanceEvent[], service: string, version: string, now: number, withinMs = 30_000): InstanceEvent | null {
  return events.find((event) => event.kind === 'panic' && event.service === service && event.version === version && now - event.at < withinMs) ?? null;
}
