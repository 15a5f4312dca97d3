/**
 * The timing waterfall's phases, from the event's timings (milliseconds from the request's arrival
 * at the proxy): queued until handed to the upstream, waiting for an upstream connection (opened or
 * free) when the event says when one took it, waiting for the first byte, transferring until the
 * end. The same split as the HAR export
 * (shared/har.ts), so the pane and an exported HAR agree.
 */
import type { RequestEvent } from '../../../shared/events.js';
import { harTimings } from '../../../shared/har.js';

export interface Phase {
  name: 'queue' | 'connect' | 'first byte' | 'transfer';
  startMs: number;
  durationMs: number;
}

export function timingPhases(timings: RequestEvent['timings']): Phase[] {
  const har = harTimings(timings);
  const phases: Phase[] = [];
  let at = 0;
  const add = (name: Phase['name'], durationMs: number) => {
    if (durationMs < 0) return;
    phases.push({ name, startMs: at, durationMs });
    at += durationMs;
  };
  add('queue', har.blocked);
  add('connect', har.connect);
  add('first byte', har.wait);
  add('transfer', har.receive);
  return phases;
}
