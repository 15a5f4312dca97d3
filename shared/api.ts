/**
 * The admin contract: every operation the admin API offers, declared once with the schemas of its
 * input and output. The admin server must implement each (a test fails when one has no handler);
 * the renderer's and the CLI's clients are typed from it and validate what comes back, because
 * TypeScript types do not cross the network. GET inputs travel as query parameters (strings,
 * coerced by the schema); other methods send a JSON body.
 */
import { z } from 'zod';
import { bypassSchema } from './bypass.js';
import { exchangeSchema, logPageSchema, logQuerySchema } from './exchange.js';
import { gatewayExportInputSchema, gatewayExportSchema } from './gateway-export.js';
import { grpcDecodingSchema } from './grpc-messages.js';
import { mockRecordInputSchema, mockRecordResultSchema, mockServeInputSchema, mockViewSchema } from './mock.js';
import { configErrorSchema, deregistrationInputSchema, registrationInputSchema, serviceViewSchema } from './model.js';
import { replayInputSchema, replayResultSchema } from './replay.js';
import { faultSchema, rerouteInputSchema, serviceRouteSchema } from './routes.js';
import { diffPairSchema, diffPairsQuerySchema, serviceDiffsSchema, shadowRuleSchema, shadowViewSchema } from './shadow.js';
import { statsSnapshotSchema } from './stats.js';

export const meshInfoSchema = z.object({
  version: z.string(),
  /** Where clients point http_proxy, e.g. `http://127.0.0.1:4140`. */
  proxyUrl: z.string(),
  adminUrl: z.string(),
  configFile: z.string().nullable(),
  /** The disco/ folder the mesh reads services from (watched even before it exists), if any. */
  discoDir: z.string().nullable().optional(),
  configErrors: z.array(configErrorSchema),
  startedAt: z.string(),
  /** The demo services were loaded into this mesh from the dashboard (and run until unloaded). */
  demoLoaded: z.boolean(),
});
export type MeshInfo = z.infer<typeof meshInfoSchema>;

export interface Operation<Input extends z.ZodType, Output extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  input: Input;
  output: Output;
}

const noInput = z.object({}).strict();

function operation<Input extends z.ZodType, Output extends z.ZodType>(op: Operation<Input, Output>): Operation<Input, Output> {
  return op;
}

export const adminOperations = {
  getInfo: operation({ method: 'GET', path: '/api/info', input: noInput, output: meshInfoSchema }),
  listServices: operation({ method: 'GET', path: '/api/services', input: noInput, output: z.array(serviceViewSchema) }),
  /** A fresh one-time URL that logs a browser into the dashboard (the previous one stops working). */
  createLoginUrl: operation({ method: 'POST', path: '/api/login-url', input: noInput, output: z.object({ url: z.string() }) }),

  registerInstance: operation({ method: 'POST', path: '/api/instances', input: registrationInputSchema, output: z.array(serviceViewSchema) }),
  deregisterInstance: operation({ method: 'DELETE', path: '/api/instances', input: deregistrationInputSchema, output: z.array(serviceViewSchema) }),

  listRoutes: operation({ method: 'GET', path: '/api/routes', input: noInput, output: z.array(serviceRouteSchema) }),
  /** One atomic change: all traffic to a version, or weights; in force for the next request. */
  reroute: operation({ method: 'POST', path: '/api/routes/reroute', input: rerouteInputSchema, output: serviceRouteSchema }),
  /** Restores the route in force before the last change. */
  rollback: operation({ method: 'POST', path: '/api/routes/rollback', input: z.strictObject({ service: z.string().min(1) }), output: serviceRouteSchema }),
  /** The routes in force as Kubernetes Gateway API HTTPRoutes (GAMMA), one YAML text; 404 for an unknown service. */
  exportGatewayApi: operation({ method: 'GET', path: '/api/export/gateway-api', input: gatewayExportInputSchema, output: gatewayExportSchema }),

  /** Recordings served as `<service>@recorded`, with their hits and misses. */
  listMocks: operation({ method: 'GET', path: '/api/mocks', input: noInput, output: z.array(mockViewSchema) }),
  /** Writes a service's exchanges from the log as HAR 1.2 (default `<workspace>/mocks/<service>.har`). */
  recordMock: operation({ method: 'POST', path: '/api/mocks/record', input: mockRecordInputSchema, output: mockRecordResultSchema }),
  /** Serves a HAR recording as the version `recorded` of its service (replacing that service's mock). */
  serveMock: operation({ method: 'POST', path: '/api/mocks', input: mockServeInputSchema, output: mockViewSchema }),
  stopMock: operation({ method: 'DELETE', path: '/api/mocks', input: z.strictObject({ service: z.string().min(1) }), output: z.array(mockViewSchema) }),

  /** Shadow rules in force, with what each sent and how many pairs differ. */
  listShadows: operation({ method: 'GET', path: '/api/shadows', input: noInput, output: z.array(shadowViewSchema) }),
  /** Starts (or replaces) the service's shadow rule; persisted like routes. 404 unknown service, 400 unknown version. */
  startShadow: operation({ method: 'POST', path: '/api/shadows', input: shadowRuleSchema, output: shadowViewSchema }),
  /** Stops a service's rule and answers the rules left; 404 when the service has none. */
  stopShadow: operation({ method: 'DELETE', path: '/api/shadows', input: z.strictObject({ service: z.string().min(1) }), output: z.array(shadowViewSchema) }),
  /** A service's compared pairs per endpoint; 404 when it was never shadowed. */
  getDiffs: operation({ method: 'GET', path: '/api/diffs', input: z.strictObject({ service: z.string().min(1) }), output: serviceDiffsSchema }),
  /** A service's compared pairs, newest first. */
  listDiffPairs: operation({ method: 'GET', path: '/api/diffs/pairs', input: diffPairsQuerySchema, output: z.array(diffPairSchema) }),
  /** One pair with both answers, for the side-by-side view; 404 once it is no longer kept. */
  getDiffPair: operation({ method: 'GET', path: '/api/diffs/pair', input: z.strictObject({ id: z.coerce.number().int() }), output: diffPairSchema }),
  /** Forgets a service's pairs and learnt noise (after fixing the new version); the rule stays. */
  clearDiffs: operation({
    method: 'POST',
    path: '/api/diffs/clear',
    input: z.strictObject({ service: z.string().min(1) }),
    output: z.object({ cleared: z.number().int() }),
  }),

  listFaults: operation({ method: 'GET', path: '/api/faults', input: noInput, output: z.array(faultSchema) }),
  /** Adds or replaces the fault for (service, caller). */
  setFault: operation({ method: 'POST', path: '/api/faults', input: faultSchema, output: z.array(faultSchema) }),
  clearFault: operation({
    method: 'DELETE',
    path: '/api/faults',
    input: z.strictObject({ service: z.string().min(1), caller: z.string().optional() }),
    output: z.array(faultSchema),
  }),

  getStats: operation({ method: 'GET', path: '/api/stats', input: noInput, output: statsSnapshotSchema }),
  /** Local processes seen calling an instance straight, past the proxy, with the likely reason and the fix. */
  listBypasses: operation({ method: 'GET', path: '/api/bypasses', input: noInput, output: z.array(bypassSchema) }),
  queryLog: operation({ method: 'GET', path: '/api/log', input: logQuerySchema, output: logPageSchema }),
  /** One exchange with its headers and bodies; `reveal=true` shows masked headers' real values. */
  getExchange: operation({
    method: 'GET',
    path: '/api/log/exchange',
    input: z.strictObject({
      id: z.coerce.number().int(),
      reveal: z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]).optional(),
    }),
    output: exchangeSchema,
  }),
  /** Resends a logged exchange through the mesh (optionally edited, or to another version) and returns the answer. */
  replay: operation({ method: 'POST', path: '/api/log/replay', input: replayInputSchema, output: replayResultSchema }),
  /** A logged gRPC call's messages, decoded with protoPaths or the instance's reflection; 400 for other exchanges. */
  decodeGrpc: operation({ method: 'GET', path: '/api/log/grpc', input: z.strictObject({ id: z.coerce.number().int() }), output: grpcDecodingSchema }),
  clearLog: operation({ method: 'POST', path: '/api/log/clear', input: noInput, output: z.object({ cleared: z.number().int() }) }),

  /** Starts the demo services (hello, world v1 and v2, traffic) in this mesh; 409 when those names are taken. */
  loadDemo: operation({ method: 'POST', path: '/api/demo', input: noInput, output: meshInfoSchema }),
  /** Stops the demo services and removes them. */
  unloadDemo: operation({ method: 'DELETE', path: '/api/demo', input: noInput, output: meshInfoSchema }),
} as const;

export type AdminOperations = typeof adminOperations;
export type OperationName = keyof AdminOperations;
/** What a client sends (defaults may be left out). */
export type OperationInput<Name extends OperationName> = z.input<AdminOperations[Name]['input']>;
/** What a handler receives: the input after the schema applied its defaults and coercions. */
export type OperationParsedInput<Name extends OperationName> = z.output<AdminOperations[Name]['input']>;
export type OperationOutput<Name extends OperationName> = z.infer<AdminOperations[Name]['output']>;

/** The error body every admin failure returns. */
export const adminErrorSchema = z.object({ error: z.string() });

/** Paths outside the request/response contract. Only `liveness`, `metrics` and `login` work without a token. */
export const ADMIN_PATHS = {
  liveness: '/healthz',
  metrics: '/metrics',
  /** `GET /login?code=…`: trades a one-time code for the session cookie, then redirects to the dashboard. */
  login: '/login',
  /** The push stream: Server-Sent Events, one `batch` event at most every 100 ms (see push.ts). */
  events: '/api/events',
} as const;
