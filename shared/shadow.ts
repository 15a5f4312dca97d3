/**
 * Shadow traffic and its diffs: a copy of the requests routed to one version of a service is sent
 * to another version, the caller only ever getting the first's answer, and each pair of answers is
 * compared. Declared once here for meshdesk.yaml's `shadow:`, the admin API, `meshdesk shadow` /
 * `meshdesk diff` and the dashboard's Diffs view.
 *
 * Words: the *primary* is the exchange the caller made (answered by the `from` version); the
 * *shadow* is its copy sent to the `to` version. *Noise* is a field that differs between two
 * answers of the primary's own version to the same request: a sample of requests is sent to it a
 * second time to learn them, as Diffy does, and noisy fields are left out of the verdict.
 */
import { z } from 'zod';
import { headerPairsSchema, wireBodySchema } from './exchange.js';
import { changeOriginSchema } from './routes.js';

/** Marks every request the mesh sends as a shadow (and each second copy sent to learn noise). */
export const SHADOW_HEADER = 'x-meshdesk-shadow';

/** Mirrored unless a rule opts other methods in: they have no side effects to double. */
export const SAFE_SHADOW_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS'];

/** Every method a rule copies: the safe ones, then those it opts in (its `methods` are only the extras). */
export function mirroredMethods(rule: { methods: readonly string[] }): string[] {
  return [...new Set([...SAFE_SHADOW_METHODS, ...rule.methods.map((name) => name.toUpperCase())])];
}

/**
 * Response headers left out of every comparison: they differ between any two answers (dates,
 * sizes, ids of the request or of the server). A rule adds its own with `ignoreHeaders`.
 */
export const DEFAULT_DIFF_IGNORED_HEADERS: readonly string[] = [
  'date',
  'server',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'etag',
  'last-modified',
  'expires',
  'age',
  'x-request-id',
  'x-correlation-id',
  'request-id',
  'traceparent',
  'tracestate',
  'x-trace-id',
  'x-amzn-trace-id',
];

const method = z
  .string()
  .regex(/^[A-Za-z]+$/, 'a method is letters only, such as POST')
  .transform((name) => name.toUpperCase());

/** A shadow rule as meshdesk.yaml, the API and the CLI give it. */
export const shadowRuleSchema = z.strictObject({
  service: z.string().min(1),
  /** The version whose answers are compared with. */
  to: z.string().min(1),
  /** Only requests routed to this version are mirrored; absent: those routed to any version but `to`. */
  from: z.string().min(1).optional(),
  /** Share of the matching requests mirrored. */
  percent: z.number().gt(0, 'percent must be above 0').max(100, 'percent must be at most 100').default(100),
  /** Methods mirrored besides GET, HEAD and OPTIONS: their side effects then happen on both versions. */
  methods: z.array(method).default([]),
  /** More response headers left out of the comparison (any case). */
  ignoreHeaders: z
    .array(
      z
        .string()
        .min(1)
        .transform((name) => name.toLowerCase()),
    )
    .default([]),
  origin: changeOriginSchema.default('api'),
});
export type ShadowRuleInput = z.input<typeof shadowRuleSchema>;
export type ShadowRule = z.output<typeof shadowRuleSchema>;

/** What the shadow sending did, since the rule started. */
export const shadowStatsSchema = z.object({
  /** Requests copied to `to` (each with its primary: a pair). */
  mirrored: z.number().int().nonnegative(),
  /** Shadow requests that got an answer (any status). */
  answered: z.number().int().nonnegative(),
  /** Shadow requests that failed by the mesh's failure rule (5xx, connection errors). */
  failed: z.number().int().nonnegative(),
  /** Requests not mirrored because the bounded queue was full: shadowing never makes the caller wait. */
  dropped: z.number().int().nonnegative(),
  /** Requests not mirrored because their body was not captured whole (too large, or capture off). */
  skipped: z.number().int().nonnegative(),
  /** Requests waiting to be sent or awaiting their answer now. */
  pending: z.number().int().nonnegative(),
  /** Latency of the shadow's answers (ms), null before any. */
  p50Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  /** Second copies sent to the primary's version to learn noise. */
  noiseProbes: z.number().int().nonnegative(),
});
export type ShadowStats = z.infer<typeof shadowStatsSchema>;

/** A rule in force with how it fares: `meshdesk shadow status`, the service panel's switch. */
export const shadowViewSchema = z.object({
  service: z.string(),
  to: z.string(),
  from: z.string().nullable(),
  percent: z.number(),
  /** Methods the rule opts in besides GET, HEAD and OPTIONS (see mirroredMethods for all it copies). */
  methods: z.array(z.string()),
  ignoreHeaders: z.array(z.string()),
  origin: changeOriginSchema,
  /** ISO time the rule started. */
  since: z.string(),
  /** Set when methods with side effects are mirrored: they then happen twice. */
  warning: z.string().nullable(),
  /** Counted since the rule started (or last changed). */
  stats: shadowStatsSchema,
  /** Pairs compared, and those whose answers differ outside noise: since the service's diffs were last cleared, across rules. */
  pairs: z.number().int().nonnegative(),
  differing: z.number().int().nonnegative(),
});
export type ShadowView = z.infer<typeof shadowViewSchema>;

/**
 * What differs in a pair, by field: `status`; `header <name>` (lower case); for JSON bodies the
 * field's path, `body.user.name`, `body.items[2].id` (`body` alone when one side is not JSON or
 * the top-level types differ); `body line N` for text; `body` (by hash) for anything else.
 */
export const differenceSchema = z.object({
  field: z.string(),
  kind: z.enum(['changed', 'added', 'removed']),
  /** Short renderings of each side's value (null: absent on that side). */
  primary: z.string().nullable(),
  shadow: z.string().nullable(),
  /** Learnt as noise for this endpoint: shown, but not counted in the verdict. */
  noisy: z.boolean(),
});
export type Difference = z.infer<typeof differenceSchema>;

/** One side of a pair as compared: the primary's answer or the shadow's. */
export const diffSideSchema = z.object({
  version: z.string(),
  instance: z.string().nullable(),
  /** The exchange in the request log (the shadow's is logged too, marked `shadow`); null when none. */
  exchangeId: z.number().int().nullable(),
  /** 0 when no answer came; then `error` says why. */
  status: z.number().int(),
  error: z.string().nullable(),
  headers: headerPairsSchema,
  body: wireBodySchema.nullable(),
  ms: z.number(),
});
export type DiffSide = z.infer<typeof diffSideSchema>;

export const diffPairSchema = z.object({
  id: z.number().int(),
  service: z.string(),
  method: z.string(),
  path: z.string(),
  /** The endpoint's path pattern (ids replaced: `/users/{id}`). */
  pattern: z.string(),
  /** Epoch ms the primary arrived. */
  at: z.number(),
  verdict: z.enum(['same', 'different']),
  primary: diffSideSchema,
  shadow: diffSideSchema,
  differences: z.array(differenceSchema),
});
export type DiffPair = z.infer<typeof diffPairSchema>;

/** A field that differed, and in how many of the endpoint's pairs. */
export const fieldCountSchema = z.object({
  field: z.string(),
  pairs: z.number().int().nonnegative(),
  /** The newest pair it differed in, to open side by side. */
  lastPairId: z.number().int().nullable(),
});
export type FieldCount = z.infer<typeof fieldCountSchema>;

/** One endpoint (method + path pattern) of a shadowed service. */
export const endpointDiffsSchema = z.object({
  method: z.string(),
  pattern: z.string(),
  pairs: z.number().int().nonnegative(),
  differing: z.number().int().nonnegative(),
  /** Fields that differed outside noise, most often first. */
  fields: z.array(fieldCountSchema),
  /** Fields learnt as noise (left out of the verdict), most often first. */
  noisy: z.array(fieldCountSchema),
  lastPairId: z.number().int().nullable(),
});
export type EndpointDiffs = z.infer<typeof endpointDiffsSchema>;

/** Everything compared for one service, per endpoint: the Diffs view, `meshdesk diff world`. */
export const serviceDiffsSchema = z.object({
  service: z.string(),
  /** The rule in force, or null when shadowing stopped (the diffs stay until cleared). */
  shadow: shadowViewSchema.nullable(),
  pairs: z.number().int().nonnegative(),
  differing: z.number().int().nonnegative(),
  endpoints: z.array(endpointDiffsSchema),
});
export type ServiceDiffs = z.infer<typeof serviceDiffsSchema>;

const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1')]);

export const diffPairsQuerySchema = z.strictObject({
  service: z.string().min(1),
  method: z.string().optional(),
  pattern: z.string().optional(),
  /** Only pairs whose verdict is `different`. */
  differing: flag.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type DiffPairsQuery = z.output<typeof diffPairsQuerySchema>;
