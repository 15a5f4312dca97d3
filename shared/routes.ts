/**
 * Routes and faults: how a service's traffic is divided between its versions, and the trouble the
 * user asks the mesh to inject. Declared once here for meshdesk.yaml, the admin API, the CLI and
 * the dashboard's drag-to-reroute.
 */
import { z } from 'zod';

/** Weights per version, relative (they need not sum to 100). A version left out gets nothing. */
export const weightsSchema = z
  .record(z.string().min(1), z.number().min(0).max(1_000_000))
  .refine((weights) => Object.values(weights).some((weight) => weight > 0), 'at least one version needs a weight above 0');

/** Requests whose header matches go to `version`, whatever the weights say (e.g. `x-canary: 1` → v2). */
export const headerRuleSchema = z.strictObject({
  header: z
    .string()
    .min(1)
    .transform((name) => name.toLowerCase()),
  /** Exact value; omitted: any request carrying the header matches. */
  value: z.string().optional(),
  version: z.string().min(1),
});

export const routeSchema = z.strictObject({
  /** Send this service's traffic to another service instead (`search` → `search-next`). */
  alias: z.string().optional(),
  weights: weightsSchema.optional(),
  headerRules: z.array(headerRuleSchema).default([]),
});

export type Weights = z.infer<typeof weightsSchema>;
export type HeaderRule = z.infer<typeof headerRuleSchema>;
export type Route = z.infer<typeof routeSchema>;

/** Who changed a route: the history shows it. */
export const changeOriginSchema = z.enum(['config', 'api', 'cli', 'gui', 'rollback', 'guard']);
export type ChangeOrigin = z.infer<typeof changeOriginSchema>;

export const routeChangeSchema = z.object({
  service: z.string(),
  at: z.string(),
  origin: changeOriginSchema,
  /** The route before and after; null means "the default: everything to the first version". */
  before: routeSchema.nullable(),
  after: routeSchema.nullable(),
  /** Why, when the mesh made the change itself: `rolled back by guard: success 82% < baseline 99.6% after 31 requests`. */
  reason: z.string().optional(),
});
export type RouteChange = z.infer<typeof routeChangeSchema>;

/**
 * A guard on a route change: for `forSeconds`, the version that gained traffic is compared with the
 * baseline (the version it took traffic from, over the stats window before the change), once at
 * least `minRequests` reached it; a breach rolls the change back at once.
 */
export const routeGuardInputSchema = z.strictObject({
  forSeconds: z.number().positive().max(86_400).default(60),
  minRequests: z.number().int().min(1).max(1_000_000).default(20),
  /** Success-rate points the new version may fall below the baseline (1: baseline 99.6% → breach below 98.6%). */
  maxFailureRate: z.number().min(0).max(100).default(1),
  /** The new version's p99 may reach this many times the baseline's. */
  maxP99Ratio: z.number().min(1).max(1_000).default(2),
});
export type RouteGuardInput = z.input<typeof routeGuardInputSchema>;
export type RouteGuardThresholds = z.output<typeof routeGuardInputSchema>;

/** One atomic reroute: all traffic to one version, or weights across versions; optionally guarded. */
export const rerouteInputSchema = z.union([
  z.strictObject({
    service: z.string().min(1),
    version: z.string().min(1),
    origin: changeOriginSchema.default('api'),
    guard: routeGuardInputSchema.optional(),
  }),
  z.strictObject({ service: z.string().min(1), weights: weightsSchema, origin: changeOriginSchema.default('api'), guard: routeGuardInputSchema.optional() }),
]);
export type RerouteInput = z.infer<typeof rerouteInputSchema>;
/** A reroute as a client sends it (the guard's thresholds may be left to their defaults). */
export type RerouteRequest = z.input<typeof rerouteInputSchema>;

/** The header that overrides routing for one request, in the spirit of Linkerd's l5d-dtab. */
export const ROUTE_OVERRIDE_HEADER = 'x-meshdesk-route';

/** Parses `world=v2, search=v3` into a map service → version. */
export function parseRouteOverride(value: string): Map<string, string> {
  const overrides = new Map<string, string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const service = part.slice(0, eq).trim().toLowerCase();
    const version = part.slice(eq + 1).trim();
    if (service && version) overrides.set(service, version);
  }
  return overrides;
}

export const faultSchema = z
  .strictObject({
    service: z.string().min(1),
    /** Only requests from this caller; omitted: every caller. */
    caller: z.string().optional(),
    /** Share of matching requests affected, 0–100. */
    percent: z.number().min(0).max(100),
    delayMs: z.number().int().min(0).max(60_000).optional(),
    /** Extra random delay, 0..jitterMs, added to delayMs. */
    jitterMs: z.number().int().min(0).max(60_000).optional(),
    /** Answer with this status instead of forwarding (a gRPC call gets the gRPC status gRPC maps it to). */
    abortStatus: z.number().int().min(200).max(599).optional(),
    /** Answer gRPC calls with this gRPC status (1–16) instead of forwarding; other requests are not affected by it. */
    abortGrpcStatus: z.number().int().min(1).max(16).optional(),
  })
  .refine(
    (fault) => fault.delayMs !== undefined || fault.abortStatus !== undefined || fault.abortGrpcStatus !== undefined,
    'a fault needs delayMs, abortStatus or abortGrpcStatus',
  );
export type Fault = z.infer<typeof faultSchema>;

/** A success rate and p99 over some requests: a guard's baseline, or what it observed since the change. */
export const guardSampleSchema = z.object({
  requests: z.number().int(),
  failures: z.number().int(),
  /** 0..1; null with no requests. */
  successRate: z.number().nullable(),
  p99Ms: z.number().nullable(),
});
export type GuardSample = z.infer<typeof guardSampleSchema>;

/** A guard as it stands: watching, passed (the period ended without a breach) or rolled back. */
export const routeGuardSchema = z.object({
  state: z.enum(['watching', 'passed', 'rolled-back']),
  /** The version that gained traffic (watched) and the one whose stats before the change are the baseline. */
  version: z.string(),
  baselineVersion: z.string().nullable(),
  startedAt: z.string(),
  /** When the watch ends (or ended). */
  until: z.string(),
  thresholds: z.object({ forSeconds: z.number(), minRequests: z.number().int(), maxFailureRate: z.number(), maxP99Ratio: z.number() }),
  baseline: guardSampleSchema,
  observed: guardSampleSchema,
  /** Why it rolled back or passed; null while watching. */
  reason: z.string().nullable(),
});
export type RouteGuard = z.infer<typeof routeGuardSchema>;

/** A service's routing as the admin API reports it: the route in force and what it resolves to. */
export const serviceRouteSchema = z.object({
  service: z.string(),
  /** The service's versions, in declaration order. */
  versions: z.array(z.string()),
  /** The route set by config, API, CLI or GUI; null: the default (everything to the first version). */
  route: routeSchema.nullable(),
  /** Share of traffic per version, 0..1, after weights and aliasing (header rules aside). */
  effectiveWeights: z.record(z.string(), z.number()),
  /** Newest first, bounded. */
  history: z.array(routeChangeSchema),
  /** The guard of the last change, while it watches and after it ended (until the next change). */
  guard: routeGuardSchema.optional(),
});
export type ServiceRoute = z.infer<typeof serviceRouteSchema>;
