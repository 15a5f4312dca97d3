/**
 * The mesh's golden metrics as the admin API returns them: per service, version, instance and edge
 * (caller → service, and caller → service@version), a sliding window (rates, success, latency
 * percentiles) and totals since the mesh started. Plain JSON, validated at the boundary like every
 * other admin answer.
 */
import { z } from 'zod';

export const latencySchema = z.object({
  /** Milliseconds, from an HDR histogram (within 1% of the true value); null with no requests. */
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  /** Exact. */
  max: z.number().nullable(),
});

export const totalsSchema = z.object({
  requests: z.number().int(),
  failures: z.number().int(),
  bytesIn: z.number(),
  bytesOut: z.number(),
  retries: z.number().int(),
});

export const seriesStatsSchema = z.object({
  /** Requests per second over the last `rpsWindowSeconds`. */
  rps: z.number(),
  /** The rest is over the last `windowSeconds`. */
  requests: z.number().int(),
  failures: z.number().int(),
  /** 0..1; null with no requests in the window. */
  successRate: z.number().nullable(),
  latencyMs: latencySchema,
  bytesIn: z.number(),
  bytesOut: z.number(),
  retries: z.number().int(),
  /** Routed requests started and not yet ended (the proxy announces each start to the telemetry). */
  inFlight: z.number().int(),
  totals: totalsSchema,
  /** Epoch ms of the last request that ended, null before the first. */
  lastSeen: z.number().nullable(),
});

export const serviceStatsSchema = z.object({ service: z.string(), kind: z.string(), stats: seriesStatsSchema });
export const versionStatsSchema = z.object({ service: z.string(), version: z.string(), stats: seriesStatsSchema });
export const instanceStatsSchema = z.object({
  service: z.string(),
  /** The version the instance served last (null if the proxy never named one). */
  version: z.string().nullable(),
  instance: z.string(),
  stats: seriesStatsSchema,
});
export const edgeStatsSchema = z.object({
  caller: z.string(),
  service: z.string(),
  /** null: the edge to the service as a whole, all versions together. */
  version: z.string().nullable(),
  stats: seriesStatsSchema,
});

/** A service's retry budget as it stands (see the README's routing section): what retries may still add. */
export const retryBudgetSchema = z.object({
  service: z.string(),
  /** Retries allowed right now. */
  available: z.number().int().nonnegative(),
  /** First attempts and retries in the budget's window. */
  requests: z.number().int().nonnegative(),
  retries: z.number().int().nonnegative(),
  /** The rule: retries may add this share of requests plus this many per second, over the window. */
  budgetPercent: z.number(),
  budgetMinPerSecond: z.number(),
  windowSeconds: z.number(),
  /** Retries allowed per request (0: retries off for the service). */
  maxRetries: z.number().int().nonnegative(),
});

export const statsSnapshotSchema = z.object({
  /** Epoch ms the snapshot was taken. */
  at: z.number(),
  windowSeconds: z.number().int(),
  rpsWindowSeconds: z.number().int(),
  /** All traffic through the proxy. */
  mesh: seriesStatsSchema,
  services: z.array(serviceStatsSchema),
  versions: z.array(versionStatsSchema),
  instances: z.array(instanceStatsSchema),
  edges: z.array(edgeStatsSchema),
  /** Services that have had traffic; from the mesh's resilience (absent from telemetry alone). */
  retryBudgets: z.array(retryBudgetSchema).optional(),
});

export type Latency = z.infer<typeof latencySchema>;
export type SeriesStats = z.infer<typeof seriesStatsSchema>;
export type ServiceStats = z.infer<typeof serviceStatsSchema>;
export type VersionStats = z.infer<typeof versionStatsSchema>;
export type InstanceStats = z.infer<typeof instanceStatsSchema>;
export type EdgeStats = z.infer<typeof edgeStatsSchema>;
export type StatsSnapshot = z.infer<typeof statsSnapshotSchema>;
export type RetryBudgetView = z.infer<typeof retryBudgetSchema>;
