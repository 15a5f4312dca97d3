/**
 * What the load generator (open-loop-load.ts, a process of its own) reports, declared once and
 * parsed with its schema where the bench reads it: it crosses a process boundary as text.
 */
import { z } from 'zod';

export const percentilesSchema = z.object({
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  p999: z.number(),
  max: z.number(),
  mean: z.number(),
});
export type Percentiles = z.infer<typeof percentilesSchema>;

export const loadResultSchema = z.object({
  rate: z.number(),
  seconds: z.number(),
  /** Requests sent in the measured part (after the warm-up). */
  sent: z.number().int(),
  ok: z.number().int(),
  failed: z.number().int(),
  statuses: z.record(z.string(), z.number().int()),
  /** Measured requests per second actually sent. */
  achievedRate: z.number(),
  /** Caller latency, due time to last byte, in ms. */
  latencyMs: percentilesSchema,
  /** The same in µs, HDR-encoded: the rounds of one condition are merged from it. */
  histogram: z.string(),
  /** How late after its due time each request was handed to undici, in ms: a generator that fell behind shows here. */
  sendLagMs: percentilesSchema,
});
export type LoadResult = z.infer<typeof loadResultSchema>;
