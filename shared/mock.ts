/**
 * Record-to-mock: a service's exchanges saved as HAR 1.2, then replayed by the mesh as a version of
 * the service (`recorded`), routable like any other. Declared once here for the admin API, the CLI
 * and the dashboard.
 *
 * Matching modes: `request` (the default) matches method, path and query (in any order), and the
 * body's SHA-256 for requests with a body; `headers` also needs the request headers to be the
 * recorded ones, except `ignoreHeaders`; `path` needs only method and path. A request that matches
 * several recorded exchanges gets them in recorded order, round and round, so a sequence recorded
 * (a counter, a paged list) replays as a sequence.
 */
import { z } from 'zod';
import { dnsLabel } from './config-schema.js';

/** The version a mock adds to its service. */
export const MOCK_VERSION = 'recorded';

/** Response header on every answer a mock gives: `hit` (replayed) or `miss` (nothing recorded matched). */
export const MOCK_HEADER = 'x-meshdesk-mock';

/** What a miss answers over HTTP: not in the recording, as a 404 that says what was asked and what there is. */
export const MOCK_MISS_STATUS = 404;

export const mockMatchingSchema = z.enum(['request', 'headers', 'path']);
export type MockMatching = z.infer<typeof mockMatchingSchema>;

/** Headers that differ between two runs of the same client, left out of `headers` matching by default. */
export const DEFAULT_IGNORED_HEADERS: readonly string[] = [
  'host',
  'user-agent',
  'date',
  'content-length',
  'accept-encoding',
  'connection',
  'via',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-request-id',
  'traceparent',
  'tracestate',
  'x-meshdesk-caller',
  'grpc-timeout',
  'te',
];

export const mockOptionsSchema = z.strictObject({
  matching: mockMatchingSchema.default('request'),
  /** Lower-case names left out of `headers` matching; default DEFAULT_IGNORED_HEADERS. */
  ignoreHeaders: z.array(z.string().min(1)).optional(),
  /** Wait as long as the recorded exchange took before answering. */
  replayLatency: z.boolean().default(false),
});
export type MockOptions = z.output<typeof mockOptionsSchema>;

export const mockRecordInputSchema = z.strictObject({
  service: dnsLabel,
  /** Only exchanges of the last this many milliseconds; default: all the log holds. */
  sinceMs: z.number().int().positive().optional(),
  /** Absolute path of the HAR file to write; default `<workspace>/mocks/<service>.har`. */
  out: z.string().min(1).optional(),
});
export type MockRecordInput = z.input<typeof mockRecordInputSchema>;

export const mockRecordResultSchema = z.object({
  service: z.string(),
  file: z.string(),
  /** Exchanges written. */
  entries: z.number().int().nonnegative(),
});
export type MockRecordResult = z.infer<typeof mockRecordResultSchema>;

export const mockServeInputSchema = mockOptionsSchema.extend({
  service: dnsLabel,
  /** Absolute path of the HAR file; default `<workspace>/mocks/<service>.har`. */
  from: z.string().min(1).optional(),
});
export type MockServeInput = z.input<typeof mockServeInputSchema>;

/** A request a mock had no answer for, as the panel lists it. */
export const mockMissSchema = z.object({
  at: z.number(),
  method: z.string(),
  /** Path and query as asked. */
  path: z.string(),
});
export type MockMiss = z.infer<typeof mockMissSchema>;

export const mockViewSchema = z.object({
  service: z.string(),
  version: z.string(),
  /** The HAR file it replays. */
  file: z.string(),
  /** The loopback address the mesh answers it on: the version's one instance. */
  address: z.string(),
  matching: mockMatchingSchema,
  ignoreHeaders: z.array(z.string()),
  replayLatency: z.boolean(),
  /** Recorded exchanges it can answer with. */
  entries: z.number().int().nonnegative(),
  /** Entries of the file it cannot replay, with why (another service, a body cut at the capture limit…). */
  skipped: z.array(z.string()),
  hits: z.number().int().nonnegative(),
  misses: z.number().int().nonnegative(),
  /** The latest misses, newest first (at most 20). */
  recentMisses: z.array(mockMissSchema),
});
export type MockView = z.infer<typeof mockViewSchema>;
