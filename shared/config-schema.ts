/**
 * The schema of `meshdesk.yaml`, the workspace config. Shared so that the mesh validates files with
 * it and the renderer validates its forms with the same rules. It is also the documentation: every
 * field has a description, and `npm run schema` publishes it as resources/meshdesk.schema.json for
 * editor completion (a test fails when the committed file lags behind this one).
 *
 * Routes, retries and timeouts are declared here before the proxy uses them, so that a workspace
 * written today stays valid when the routing and resilience issues land.
 */
import { z } from 'zod';
import { DEFAULT_BODY_CAPTURE_BYTES, DEFAULT_LOG_CAPACITY, DEFAULT_MASKED_HEADERS } from './exchange.js';
import { DEFAULT_GRPC_FAILURE_CODES, grpcStatusName, parseGrpcStatus } from './grpc-codes.js';

/** Service names are DNS labels: they are used as host names (`http://world/`). */
export const dnsLabel = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label: a-z, 0-9 and "-", at most 63 characters');

export const versionLabel = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be letters, digits, ".", "_" or "-", at most 63 characters');

/** `host:port`, as developers write it; IPv6 hosts go in brackets (`[::1]:7002`). */
export const instanceAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port, for example 127.0.0.1:7002')
  .refine((value) => {
    const port = Number(value.slice(value.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  }, 'port must be between 1 and 65535')
  .meta({ id: 'address', description: 'host:port of a running instance, e.g. 127.0.0.1:7002 or [::1]:7002' });

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000 } as const;

/** A duration in milliseconds, written as a number of ms or with a unit: `250ms`, `2s`, `1.5m`. */
export const duration = z
  .union([z.number().int().positive(), z.string().regex(DURATION, 'must be a duration such as 500ms, 2s or 1m')], {
    error: 'must be a duration such as 500ms, 2s or 1m (or a number of milliseconds)',
  })
  .transform((value) => {
    if (typeof value === 'number') return value;
    const [, amount, unit] = DURATION.exec(value) as RegExpExecArray;
    return Math.round(Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]);
  })
  .pipe(z.number().int().min(1, 'must be at least 1ms'))
  .meta({ id: 'duration', description: 'milliseconds, or a number with a unit: 250ms, 2s, 1m' });

const statusCode = z.number().int().min(100).max(599);
const statusClass = z.string().regex(/^[1-5]xx$/, 'must be a status code or a class such as 2xx');

export const labelsSchema = z
  .record(z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9._/-]{0,62})$/, 'label names are letters, digits, ".", "_", "/" or "-"'), z.string().max(253))
  .meta({ id: 'labels', description: 'free-form key: value labels shown in the UI and usable by routes later' });

const checkTiming = {
  interval: duration.default(10_000).meta({ description: 'time between checks (default 10s)' }),
  timeout: duration.default(2_000).meta({ description: 'a check slower than this fails (default 2s)' }),
  healthyThreshold: z.number().int().min(1).max(100).default(2).meta({ description: 'consecutive passes that bring a failing instance back (default 2)' }),
  unhealthyThreshold: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(3)
    .meta({ description: 'consecutive failures that take a healthy instance out of the pool (default 3)' }),
};

export const httpHealthCheckSchema = z
  .strictObject({
    type: z.literal('http'),
    path: z.string().startsWith('/', 'must start with "/"').default('/').meta({ description: 'the path to GET (default /)' }),
    expectStatus: z
      .union([statusCode, statusClass], { error: 'must be a status code such as 200 or a class such as 2xx' })
      .default('2xx')
      .meta({ description: 'the status a passing check answers with: a code (204) or a class (2xx, the default)' }),
    ...checkTiming,
  })
  .meta({ description: 'GET the path on the instance; it passes on the expected status within the timeout' });

export const tcpHealthCheckSchema = z
  .strictObject({ type: z.literal('tcp'), ...checkTiming })
  .meta({ description: 'open a TCP connection to the instance; it passes when the connection is accepted within the timeout' });

export const grpcHealthCheckSchema = z
  .strictObject({
    type: z.literal('grpc'),
    service: z.string().default('').meta({ description: 'the service name to ask about, as the server registered it (default "": the server as a whole)' }),
    ...checkTiming,
  })
  .meta({
    description: 'call grpc.health.v1.Health/Check on the instance over HTTP/2; it passes when the answer is SERVING within the timeout',
  });

export const healthCheckSchema = z.discriminatedUnion('type', [httpHealthCheckSchema, tcpHealthCheckSchema, grpcHealthCheckSchema]).meta({
  id: 'healthCheck',
  description:
    'An active health check. The first result decides an unchecked instance; after that it takes unhealthyThreshold failures to leave the pool and healthyThreshold passes to return.',
});

export const instanceConfigSchema = z
  .union(
    [
      instanceAddress,
      z.strictObject({
        address: instanceAddress,
        labels: labelsSchema.optional(),
        weight: z.number().positive().max(10_000).optional().meta({ description: "relative share of its version's traffic (default 1)" }),
        healthCheck: healthCheckSchema.optional(),
      }),
    ],
    { error: 'must be host:port, or an object with address (and optionally labels, weight, healthCheck)' },
  )
  .meta({ id: 'instance', description: 'host:port, or an object with address and optional labels, weight and healthCheck' });

export const versionConfigSchema = z.strictObject({
  instances: z.array(instanceConfigSchema).min(1, 'a version needs at least one instance'),
  labels: labelsSchema.optional(),
  healthCheck: healthCheckSchema.optional().meta({ description: 'the check of every instance of this version that has none of its own' }),
});

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name');

export const routeConfigSchema = z
  .strictObject({
    alias: dnsLabel.optional().meta({ description: "send this service's traffic to another service instead, e.g. search → search-next" }),
    weights: z
      .record(versionLabel, z.number().int().min(0).max(10_000))
      .optional()
      .meta({ description: 'relative weight per version, e.g. { v1: 90, v2: 10 }; versions not listed get no traffic' }),
    headers: z
      .array(z.strictObject({ header: headerName, value: z.string(), version: versionLabel }))
      .optional()
      .meta({ description: 'requests whose header equals value go to version, before weights apply; the first match wins' }),
  })
  .meta({ description: "how this service's traffic divides between its versions (default: all to the first version)" });

export const shadowConfigSchema = z
  .strictObject({
    to: versionLabel.meta({
      description: 'the version a copy of each request is sent to; its answers are compared with the primary ones, the caller never sees them',
    }),
    from: versionLabel.optional().meta({ description: 'only requests routed to this version are copied (default: those routed to any version but "to")' }),
    percent: z.number().gt(0).max(100).optional().meta({ description: 'share of those requests copied (default 100)' }),
    methods: z
      .array(z.string().regex(/^[A-Za-z]+$/, 'a method is letters only, such as POST'))
      .optional()
      .meta({ description: 'methods copied besides GET, HEAD and OPTIONS; their side effects then happen on both versions' }),
    ignoreHeaders: z
      .array(headerName)
      .optional()
      .meta({ description: 'response headers left out of the comparison, besides date, server, content-length and request ids' }),
  })
  .meta({ description: 'shadow traffic: copy requests to another version and compare the answers (meshdesk diff, the Diffs view)' });

export const timeoutsConfigSchema = z
  .strictObject({
    request: duration.optional().meta({ description: 'the whole exchange, response headers included (default 10s)' }),
    connect: duration.optional().meta({ description: 'opening a connection to an instance' }),
  })
  .meta({ description: 'per-service timeouts; a request that runs out gets a 504 naming the service' });

export const retriesConfigSchema = z
  .strictObject({
    attempts: z.number().int().min(0).max(10).optional().meta({ description: 'extra attempts after the first (0 turns retries off)' }),
    on: z
      .array(z.union([z.enum(['connect-failure', 'gateway-error', '5xx']), statusCode]))
      .optional()
      .meta({
        description:
          'which failures are retried: connect-failure, gateway-error (502/503/504), 5xx or status codes; only idempotent requests are retried after they were sent',
      }),
    budgetPercent: z.number().min(0).max(100).optional().meta({ description: 'retries may add at most this share to the request rate' }),
  })
  .meta({ description: 'retry policy; retries only where safe and within the budget' });

export const ejectionConfigSchema = z
  .strictObject({
    consecutiveFailures: z
      .number()
      .int()
      .min(1)
      .max(1_000)
      .optional()
      .meta({ description: 'failures in a row (connection errors or 5xx) that eject an instance (default 5)' }),
    baseTime: duration.optional().meta({ description: 'how long a first ejection lasts; each repeat lasts that much longer, up to 10 times (default 30s)' }),
    maxPercent: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .meta({ description: "most of a version's instances ejected at once, in percent: at least one, never all (default 50)" }),
    latencyOutliers: z.boolean().optional().meta({ description: 'also eject an instance far slower than its peers (default true)' }),
  })
  .meta({ description: 'passive health: instances that keep failing, or are far slower than their peers, are taken out for a while' });

export const serviceConfigSchema = z
  .strictObject({
    instances: z.array(instanceConfigSchema).min(1).optional().meta({ description: 'shorthand for a service with one version, named "default"' }),
    versions: z.record(versionLabel, versionConfigSchema).optional().meta({ description: 'versions in order; the first is the default route' }),
    labels: labelsSchema.optional(),
    healthCheck: healthCheckSchema.optional().meta({ description: 'the check of every instance of this service that has none of its own' }),
    route: routeConfigSchema.optional(),
    shadow: shadowConfigSchema.optional(),
    timeouts: timeoutsConfigSchema.optional(),
    retries: retriesConfigSchema.optional(),
    restartWindow: duration.optional().meta({
      description:
        'requests are held only while the service answered within this long (default 30s): one down for longer is stopped, not restarting, and its callers get 503 at once',
    }),
    protocol: z.enum(['auto', 'http1', 'h2c']).optional().meta({
      description:
        'what the mesh speaks to the instances: auto (default: what the client spoke, HTTP/1.1 or HTTP/2), h2c (HTTP/2 with prior knowledge, also for HTTP/1.1 clients) or http1 (HTTP/1.1, also for HTTP/2 clients; not for gRPC, which needs HTTP/2)',
    }),
    loadBalancer: z
      .enum(['peak-ewma', 'round-robin'])
      .optional()
      .meta({ description: 'how an instance of the chosen version is picked: peak-ewma (default: the faster and less busy of two) or round-robin' }),
    ejection: ejectionConfigSchema.optional(),
    holdWhileRestarting: z
      .union([z.literal(false), duration])
      .optional()
      .meta({
        description:
          'how long requests wait while every instance of a version refuses connections, as a restarting dev server does (default 5s; false: fail at once)',
      }),
  })
  .superRefine((service, ctx) => {
    if ((service.instances === undefined) === (service.versions === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give either "instances" or "versions", not both and not neither', path: [] });
      return;
    }
    const versions: [string, readonly InstanceConfig[], (string | number)[]][] = service.versions
      ? Object.entries(service.versions).map(([name, version]) => [name, version.instances, ['versions', name, 'instances']])
      : [[DEFAULT_VERSION, service.instances ?? [], ['instances']]];
    const seen = new Map<string, string>();
    for (const [version, instances, path] of versions) {
      instances.forEach((instance, index) => {
        const address = typeof instance === 'string' ? instance : instance.address;
        const first = seen.get(address.toLowerCase());
        if (first !== undefined) {
          ctx.addIssue({ code: 'custom', message: `duplicate instance ${address} (already listed in version ${first})`, path: [...path, index] });
        }
        seen.set(address.toLowerCase(), first ?? version);
      });
    }
    const known = new Set(versions.map(([name]) => name));
    const unknown = (version: string) => `route names version "${version}", which this service does not have (it has ${[...known].join(', ')})`;
    for (const version of Object.keys(service.route?.weights ?? {})) {
      if (!known.has(version)) ctx.addIssue({ code: 'custom', message: unknown(version), path: ['route', 'weights', version] });
    }
    service.route?.headers?.forEach((match, index) => {
      if (!known.has(match.version)) ctx.addIssue({ code: 'custom', message: unknown(match.version), path: ['route', 'headers', index, 'version'] });
    });
    for (const key of ['to', 'from'] as const) {
      const version = service.shadow?.[key];
      if (version !== undefined && !known.has(version))
        ctx.addIssue({ code: 'custom', message: unknown(version).replace('route', 'shadow'), path: ['shadow', key] });
    }
    if (service.shadow?.from !== undefined && service.shadow.from === service.shadow.to) {
      ctx.addIssue({ code: 'custom', message: 'shadow copies requests to another version: "from" and "to" must differ', path: ['shadow', 'from'] });
    }
  });

/**
 * A status that counts as a failure: a code or a class. Codes may be quoted ("404"), as YAML users
 * often write them; the classifier reads both alike.
 */
const FAILURE_STATUS = 'must be a status code from 100 to 599, such as 429, or a class such as 5xx';
const failureStatus = z.union(
  [z.number().int(FAILURE_STATUS).min(100, FAILURE_STATUS).max(599, FAILURE_STATUS), z.string().regex(/^[1-5](xx|\d\d)$/, FAILURE_STATUS)],
  { error: FAILURE_STATUS },
);

/** A gRPC status that counts as a failure: by name, as gRPC documents them, or by number. */
const GRPC_FAILURE_CODE = 'must be a gRPC status: a name such as UNAVAILABLE, or its number from 0 to 16';
const grpcFailureCode = z.union(
  [
    z.number().int(GRPC_FAILURE_CODE).min(0, GRPC_FAILURE_CODE).max(16, GRPC_FAILURE_CODE),
    z.string().refine((name) => parseGrpcStatus(name) !== null, GRPC_FAILURE_CODE),
  ],
  { error: GRPC_FAILURE_CODE },
);

/**
 * What the request log keeps and what the success rate counts. Read when the mesh starts: the log's
 * columns are sized to its capacity once, so a later change waits for the next start (and says so).
 */
export const telemetryConfigSchema = z
  .strictObject({
    // The log preallocates its columns (a few hundred bytes an exchange), and past its fixed budgets
    // for headers (16 MiB) and bodies (32 MiB) older entries keep only their summary: beyond
    // 100,000 exchanges more capacity buys little but memory.
    logCapacity: z
      .number({ error: 'must be a number of exchanges, such as 10000' })
      .int('must be a whole number of exchanges')
      .min(1, 'must be at least 1 exchange')
      .max(100_000, 'must be at most 100000 exchanges')
      .default(DEFAULT_LOG_CAPACITY)
      .meta({ description: `exchanges the request log keeps, the newest; older ones make room (default ${DEFAULT_LOG_CAPACITY})` }),
    // Both bodies of one exchange must fit the log's 32 MiB body budget, or neither is kept.
    bodyCaptureBytes: z
      .number({ error: 'must be a number of bytes, such as 65536' })
      .int('must be a whole number of bytes')
      .min(0, 'must be 0 (no bodies) or more')
      .max(16 * 1024 * 1024, 'must be at most 16777216 (16 MiB)')
      .default(DEFAULT_BODY_CAPTURE_BYTES)
      .meta({
        description: `bytes of each body kept per direction, request and response; longer bodies are cut there; 0 keeps no bodies (default ${DEFAULT_BODY_CAPTURE_BYTES})`,
      }),
    maskedHeaders: z
      .array(headerName)
      .default(() => [...DEFAULT_MASKED_HEADERS])
      .meta({
        description:
          'headers whose values the log, exports and the UI show as [masked], matched in any letter case; [] masks nothing (default authorization, cookie, set-cookie, proxy-authorization)',
      }),
    failureStatuses: z
      .array(failureStatus)
      .default(() => ['5xx'])
      .meta({
        description: 'response statuses that count as failures in the success rate: codes (429) or classes (5xx, the default); connection errors always count',
      }),
    grpcFailureCodes: z
      .array(grpcFailureCode)
      .default(() => DEFAULT_GRPC_FAILURE_CODES.map(grpcStatusName))
      .meta({
        description:
          'gRPC statuses that count as failures of a gRPC call, by name or number (default UNKNOWN, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS: those that blame the server); a call with no status or a connection error always counts',
      }),
  })
  .meta({ description: 'the request log and the success rate; read at start, so changes take effect at the next start' });

export const proxyModeSchema = z
  .enum(['passthrough', 'reject'])
  .meta({ description: 'what to do with a host that is not a registered service: pass it through (default) or answer 502' });

export const meshConfigSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'the JSON Schema of this file, for editors' }),
    proxy: z.strictObject({ mode: proxyModeSchema.default('passthrough') }).default({ mode: 'passthrough' }),
    services: z.record(dnsLabel, serviceConfigSchema).default({}).meta({ description: 'services by the host name callers use' }),
    telemetry: telemetryConfigSchema.default(() => telemetryConfigSchema.parse({})),
    protoPaths: z
      .array(z.string().min(1))
      .default(() => [])
      .meta({
        description:
          "where the log finds gRPC message types to decode calls: .proto files, descriptor sets (.pb, .desc, .binpb) or folders of them, relative to this file; without, the instance's server reflection is asked",
      }),
  })
  .meta({ title: 'meshdesk.yaml', description: 'Meshdesk workspace config: the services of this workspace, their versions and instances' });

export type MeshConfig = z.infer<typeof meshConfigSchema>;
export type ServiceConfig = z.infer<typeof serviceConfigSchema>;
export type InstanceConfig = z.infer<typeof instanceConfigSchema>;
export type HealthCheck = z.infer<typeof healthCheckSchema>;
export type HealthCheckInput = z.input<typeof healthCheckSchema>;
export type ProxyMode = z.infer<typeof proxyModeSchema>;
export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;

/** The version a service gets when its config lists instances without versions. */
export const DEFAULT_VERSION = 'default';
