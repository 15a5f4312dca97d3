/**
 * HAR 1.2 as read back: the part of a HAR file a mock replays, validated where the file enters the
 * mesh (a file from disk is input like any other). Lenient where the spec is and writers differ —
 * browsers, HTTP Toolkit and the request log's own export (har.ts) all load — and strict about
 * what a replay needs: a method, a URL, a status, headers as name/value pairs.
 */
import { z } from 'zod';

const nameValueSchema = z.object({ name: z.string(), value: z.string() });

export const harEntrySchema = z.looseObject({
  startedDateTime: z.string().optional(),
  /** Milliseconds the exchange took, the replayed latency. */
  time: z.number().optional(),
  request: z.looseObject({
    method: z.string().min(1),
    url: z.string().min(1),
    headers: z.array(nameValueSchema).default([]),
    postData: z.looseObject({ mimeType: z.string().optional(), text: z.string().optional(), comment: z.string().optional() }).optional(),
  }),
  response: z.looseObject({
    status: z.number().int(),
    headers: z.array(nameValueSchema).default([]),
    content: z
      .looseObject({
        size: z.number().optional(),
        mimeType: z.string().optional(),
        text: z.string().optional(),
        encoding: z.string().optional(),
        comment: z.string().optional(),
      })
      .default({}),
  }),
  comment: z.string().optional(),
  /** What the mesh knew of the exchange (har.ts): service, version, gRPC outcome, error… */
  _meshdesk: z.record(z.string(), z.unknown()).optional(),
});
export type HarEntryInput = z.infer<typeof harEntrySchema>;

export const harFileSchema = z.object({
  log: z.looseObject({ version: z.string().optional(), entries: z.array(harEntrySchema) }),
});
export type HarFile = z.infer<typeof harFileSchema>;

/** Parses a HAR file's text; throws an Error saying what is wrong (first problems, with their path). */
export function parseHar(text: string): HarFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = harFileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || 'file'}: ${issue.message}`);
  throw new Error(`not a HAR 1.2 log (${problems.join('; ')})`);
}
