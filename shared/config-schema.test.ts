// The `telemetry:` section of meshdesk.yaml's schema: its defaults, what it accepts, and the
// messages it rejects mistakes with (the config file adds file:line; parse-config.test.ts).
// Run: npx vitest run shared/config-schema.test.ts
import { describe, expect, it } from 'vitest';
import { meshConfigSchema, telemetryConfigSchema } from './config-schema.js';
import { DEFAULT_BODY_CAPTURE_BYTES, DEFAULT_LOG_CAPACITY, DEFAULT_MASKED_HEADERS } from './exchange.js';

/** Each issue as `path: message`. */
function problemsOf(telemetry: unknown): string[] {
  const result = meshConfigSchema.safeParse({ telemetry });
  if (result.success) throw new Error(`expected problems with ${JSON.stringify(telemetry)}`);
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('telemetry config', () => {
  it('defaults to what the request log and the success rate do without one', () => {
    const defaults = {
      logCapacity: DEFAULT_LOG_CAPACITY,
      bodyCaptureBytes: DEFAULT_BODY_CAPTURE_BYTES,
      maskedHeaders: [...DEFAULT_MASKED_HEADERS],
      failureStatuses: ['5xx'],
      grpcFailureCodes: ['UNKNOWN', 'DEADLINE_EXCEEDED', 'RESOURCE_EXHAUSTED', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS'],
    };
    expect(meshConfigSchema.parse({}).telemetry).toEqual(defaults);
    expect(meshConfigSchema.parse({ telemetry: {} }).telemetry).toEqual(defaults);
    expect(defaults).toMatchObject({ logCapacity: 10_000, bodyCaptureBytes: 65_536 });
    // Each parse gets its own lists: changing one config's cannot change the next one's defaults.
    meshConfigSchema.parse({}).telemetry.maskedHeaders.push('x-leak');
    expect(meshConfigSchema.parse({}).telemetry.maskedHeaders).toEqual([...DEFAULT_MASKED_HEADERS]);
  });

  it('accepts every setting at its bounds, codes quoted or not, classes, and empty lists', () => {
    expect(telemetryConfigSchema.parse({ logCapacity: 1, bodyCaptureBytes: 0, maskedHeaders: [], failureStatuses: [], grpcFailureCodes: [] })).toEqual({
      logCapacity: 1,
      bodyCaptureBytes: 0,
      maskedHeaders: [],
      failureStatuses: [],
      grpcFailureCodes: [],
    });
    expect(
      telemetryConfigSchema.parse({
        logCapacity: 100_000,
        bodyCaptureBytes: 16 * 1024 * 1024,
        maskedHeaders: ['X-Api-Key'],
        failureStatuses: ['5xx', '429', 404, '4xx'],
        grpcFailureCodes: [0, 16, 'cancelled'],
      }),
    ).toEqual({
      logCapacity: 100_000,
      bodyCaptureBytes: 16_777_216,
      maskedHeaders: ['X-Api-Key'],
      failureStatuses: ['5xx', '429', 404, '4xx'],
      grpcFailureCodes: [0, 16, 'cancelled'],
    });
  });

  it('rejects mistakes with messages that say what is expected', () => {
    expect(problemsOf({ logCapacity: 0 })).toEqual(['telemetry.logCapacity: must be at least 1 exchange']);
    expect(problemsOf({ logCapacity: 1_000_000 })).toEqual(['telemetry.logCapacity: must be at most 100000 exchanges']);
    expect(problemsOf({ logCapacity: 2.5 })).toEqual(['telemetry.logCapacity: must be a whole number of exchanges']);
    expect(problemsOf({ logCapacity: '10k' })).toEqual(['telemetry.logCapacity: must be a number of exchanges, such as 10000']);
    expect(problemsOf({ bodyCaptureBytes: '64KiB' })).toEqual(['telemetry.bodyCaptureBytes: must be a number of bytes, such as 65536']);
    expect(problemsOf({ bodyCaptureBytes: -1 })).toEqual(['telemetry.bodyCaptureBytes: must be 0 (no bodies) or more']);
    expect(problemsOf({ bodyCaptureBytes: 64 * 1024 * 1024 })).toEqual(['telemetry.bodyCaptureBytes: must be at most 16777216 (16 MiB)']);
    expect(problemsOf({ maskedHeaders: ['X-Api-Key', 'not a header'] })).toEqual(['telemetry.maskedHeaders.1: must be an HTTP header name']);
    const status = 'must be a status code from 100 to 599, such as 429, or a class such as 5xx';
    expect(problemsOf({ failureStatuses: ['5xx', 700, '6xx', 'server errors', '5XX', 99.5] })).toEqual(
      [1, 2, 3, 4, 5].map((index) => `telemetry.failureStatuses.${index}: ${status}`),
    );
    expect(problemsOf({ logSize: 5 })).toEqual(['telemetry: Unrecognized key: "logSize"']);
  });
});
