/**
 * One exchange as the request log keeps it and the admin API returns it: the request event, plus
 * what the proxy captured of headers and bodies when capture is on.
 *
 * Two shapes on purpose. In the process, the proxy hands the log raw header arrays (Node's
 * `rawHeaders`, no copy) and body bytes; on the wire, headers are [name, value] pairs and bodies
 * are text or base64, because JSON has no bytes. Secrets are masked before an exchange is stored,
 * so they never reach the wire, the UI or a log file.
 */
import { z } from 'zod';
import { requestEventSchema } from './events.js';
import { parseGrpcStatus } from './grpc-codes.js';

/** Bytes captured per direction (request body, response body) unless configured otherwise. */
export const DEFAULT_BODY_CAPTURE_BYTES = 64 * 1024;
export const DEFAULT_LOG_CAPACITY = 10_000;
/** Header names (lower case) whose values are replaced by MASKED_VALUE unless configured otherwise. */
export const DEFAULT_MASKED_HEADERS: readonly string[] = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization'];
export const MASKED_VALUE = '[masked]';

/** Headers as Node's `rawHeaders`: [name, value, name, value, …], order and repeats kept. */
export type RawHeaders = readonly string[];

/** The first bytes of a body, up to the capture limit, and how many it had in all. */
export interface CapturedBody {
  bytes: Uint8Array;
  /** Bytes the body had in total, as far as the proxy saw it. */
  size: number;
  truncated: boolean;
}

/** What the proxy captured of one exchange; any part may be missing (capture off, no response). */
export interface ExchangeCapture {
  requestHeaders: RawHeaders | null;
  responseHeaders: RawHeaders | null;
  /**
   * The response headers as the upstream sent them, [name, value, …] in bytes (undici's raw
   * headers), in place of `responseHeaders`: the log copies them as they are instead of making a
   * string of each on the proxy's hot path.
   */
  responseHeaderBytes?: readonly Uint8Array[] | null;
  requestBody: CapturedBody | null;
  responseBody: CapturedBody | null;
}

export const headerPairsSchema = z.array(z.tuple([z.string(), z.string()]));

export const wireBodySchema = z.object({
  /** `utf8` when the captured bytes are valid UTF-8 text, else `base64`. */
  encoding: z.enum(['utf8', 'base64']),
  data: z.string(),
  size: z.number().int().nonnegative(),
  truncated: z.boolean(),
});

/** A logged exchange: its request event, where it sits in the log, and what was captured of it. */
export const exchangeSchema = requestEventSchema.extend({
  /** Position in the log, increasing; pages ask for entries `before` one. */
  seq: z.number().int(),
  requestHeaders: headerPairsSchema.nullable(),
  responseHeaders: headerPairsSchema.nullable(),
  requestBody: wireBodySchema.nullable(),
  responseBody: wireBodySchema.nullable(),
  /**
   * Bodies were captured but dropped later to keep the log within its memory budget (or, for an
   * exchange whose headers alone were too large to keep, its headers and decision trace were).
   */
  bodiesDropped: z.boolean(),
});

export type WireBody = z.infer<typeof wireBodySchema>;
export type Exchange = z.infer<typeof exchangeSchema>;

const STATUS_FILTER = /^(?:[0-5]xx|\d{1,3})$/i;

/** `true`/`false`/`1`/`0`, as a query string carries them, or a boolean. */
const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1')]);

/**
 * Log query filters, all optional and all combined with AND. Strings come straight from a query
 * string, so numbers and flags are coerced here, once, at the boundary.
 */
export const logQuerySchema = z.object({
  service: z.string().optional(),
  caller: z.string().optional(),
  version: z.string().optional(),
  instance: z.string().optional(),
  kind: z.string().optional(),
  method: z.string().optional(),
  /** Case-insensitive text in the method: a gRPC call's is its path (`/pkg.Service/Method`), any other request's its HTTP method. */
  methodContains: z.string().optional(),
  /** A class (`5xx`) or an exact code (`404`; `0` for no response). */
  status: z.string().regex(STATUS_FILTER, 'status is a class like 5xx or a code like 404').optional(),
  /** gRPC calls that ended with this gRPC status: a name in any case (`UNAVAILABLE`) or a code (`14`). */
  grpcStatus: z
    .string()
    .refine((text) => parseGrpcStatus(text) !== null, 'grpcStatus is a gRPC status name like UNAVAILABLE (any case) or a code from 0 to 16')
    .optional(),
  /** Case-insensitive text the path contains. */
  path: z.string().optional(),
  /** A regular expression the path matches. */
  pathRegex: z
    .string()
    .max(200)
    .refine((source) => compiles(source), 'pathRegex is not a valid regular expression')
    .optional(),
  minLatencyMs: z.coerce.number().nonnegative().optional(),
  errorsOnly: flag.optional(),
  /** Case-insensitive text in any field or captured header. */
  text: z.string().optional(),
  /** A captured header's name (any case); with headerValue, text its value contains. */
  headerName: z.string().optional(),
  headerValue: z.string().optional(),
  /** Only entries older than this seq (the previous page's `nextBefore`). */
  before: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});

export type LogQueryInput = z.input<typeof logQuerySchema>;
export type LogQuery = z.output<typeof logQuerySchema>;

export const logPageSchema = z.object({
  /** Newest first. */
  exchanges: z.array(exchangeSchema),
  /** Pass as `before` for the next (older) page; null when there is none. */
  nextBefore: z.number().int().nullable(),
  /** Exchanges the log holds now, and at most. */
  held: z.number().int(),
  capacity: z.number().int(),
});
export type LogPage = z.infer<typeof logPageSchema>;

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
