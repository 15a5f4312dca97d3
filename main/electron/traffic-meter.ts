/**
 * The tray's traffic numbers: requests per second over the last 10 seconds and failed requests
 * over the last minute, folded from the mesh's recorded request events into 60 one-second buckets.
 * A request is failed when the mesh says so (its `failed`, by the configured failure rule), so the
 * tray and the dashboard count the same failures. Constant memory and O(1) per event, because it
 * hears every exchange for as long as the app runs; the clock is injected so the windows can be
 * tested without waiting.
 */
import type { RequestEvent } from '../../shared/events.js';

export const RATE_WINDOW_SECONDS = 10;
export const ERROR_WINDOW_SECONDS = 60;

export interface TrafficNumbers {
  requestsPerSecond: number;
  errorsLastMinute: number;
}

interface Bucket {
  second: number;
  requests: number;
  errors: number;
}

export class TrafficMeter {
  private readonly buckets: Bucket[] = Array.from({ length: ERROR_WINDOW_SECONDS }, () => ({ second: -1, requests: 0, errors: 0 }));

  constructor(private readonly now: () => number = Date.now) {}

  record(event: Pick<RequestEvent, 'failed'>): void {
    const second = Math.floor(this.now() / 1000);
    const bucket = this.buckets[second % ERROR_WINDOW_SECONDS] as Bucket;
    if (bucket.second !== second) Object.assign(bucket, { second, requests: 0, errors: 0 });
    bucket.requests += 1;
    if (event.failed) bucket.errors += 1;
  }

  /** Listens to the mesh's telemetry; returns the unsubscribe function. */
  attach(telemetry: { onRecorded(listener: (event: RequestEvent) => void): () => unknown }): () => void {
    const unsubscribe = telemetry.onRecorded((event) => this.record(event));
    return () => void unsubscribe();
  }

  read(): TrafficNumbers {
    const current = Math.floor(this.now() / 1000);
    let requests = 0;
    let errors = 0;
    for (const bucket of this.buckets) {
      const age = current - bucket.second;
      if (age < 0 || age >= ERROR_WINDOW_SECONDS) continue;
      errors += bucket.errors;
      if (age < RATE_WINDOW_SECONDS) requests += bucket.requests;
    }
    return { requestsPerSecond: requests / RATE_WINDOW_SECONDS, errorsLastMinute: errors };
  }
}
