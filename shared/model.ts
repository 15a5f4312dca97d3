/** The registry as every reader sees it: services, their versions, and the instances serving them. */
import { z } from 'zod';
import { DEFAULT_VERSION, dnsLabel, healthCheckSchema, instanceAddress, labelsSchema, versionLabel } from './config-schema.js';

/**
 * `unknown`: no check, or none has answered yet (routable). `healthy`: its check passes.
 * `failing`: its check fails; the instance is out of the pool until it passes again.
 */
export const instanceHealthSchema = z.enum(['unknown', 'healthy', 'failing']);
export type InstanceHealth = z.infer<typeof instanceHealthSchema>;

/**
 * Passive health: what the traffic the mesh forwarded says of an instance, apart from its check.
 * `failing`: connections refused, reset or timed out, or 5xx / gRPC UNAVAILABLE answers (the rule
 * is in main/mesh/resilience/traffic-health.ts). `healthy`: it answers. `unknown`: no traffic yet,
 * or none lately (what we knew is too old to vouch for).
 */
export const trafficHealthSchema = z.object({
  state: instanceHealthSchema,
  /** Why: the last failure (`connection refused`, `HTTP 503`), `no traffic for 60 s`; null when healthy or never seen. */
  reason: z.string().nullable(),
  /** Epoch ms of the last outcome the mesh saw from it; null when it never had traffic. */
  lastSeen: z.number().nullable(),
});
export type TrafficHealth = z.infer<typeof trafficHealthSchema>;

export const instanceViewSchema = z.object({
  /** `host:port`, the registry key of an instance. */
  address: z.string(),
  host: z.string(),
  port: z.number().int(),
  /** Where the user declared it: `meshdesk.yaml:12`, `disco/world`, `GUI`, `CLI`. */
  origin: z.string(),
  health: instanceHealthSchema,
  /** Why the last health change happened (`HTTP 503`, `connection refused`), null without a check. */
  healthReason: z.string().nullable(),
  /** A one-line description of its health check (`http GET /health every 10s`), null without one. */
  healthCheck: z.string().nullable(),
  /** The same check as configured (durations in ms), so an edit starts from it instead of losing it. */
  healthCheckConfig: healthCheckSchema.nullable().optional(),
  labels: z.record(z.string(), z.string()),
  /** Relative share of its version's traffic; 1 unless a disco line or the config says otherwise. */
  weight: z.number(),
  /** Health as the traffic shows it, apart from `health` (its check); absent from meshes older than it. */
  traffic: trafficHealthSchema.optional(),
});

export const versionViewSchema = z.object({
  name: z.string(),
  instances: z.array(instanceViewSchema),
});

export const serviceViewSchema = z.object({
  name: z.string(),
  versions: z.array(versionViewSchema),
});

export type InstanceView = z.infer<typeof instanceViewSchema>;
export type VersionView = z.infer<typeof versionViewSchema>;
export type ServiceView = z.infer<typeof serviceViewSchema>;

export const configErrorSchema = z.object({
  /** The file as the user knows it: `meshdesk.yaml`, `disco/world`, `state store`. */
  file: z.string(),
  /** 1-based; 0 when the problem is the whole file (it cannot be read). */
  line: z.number().int(),
  column: z.number().int(),
  message: z.string(),
  /** A warning does not stop the file from being used (e.g. a non-loopback host); absent means error. */
  severity: z.enum(['error', 'warning']).optional(),
});
export type ConfigError = z.infer<typeof configErrorSchema>;

/** Where a runtime registration came from: the `meshdesk register` command or the GUI's form. */
export const runtimeOriginSchema = z.enum(['CLI', 'GUI']);
export type RuntimeOrigin = z.infer<typeof runtimeOriginSchema>;

/** What `meshdesk register` and the GUI send; the registry validates it with this very schema. */
export const registrationInputSchema = z.strictObject({
  service: dnsLabel,
  version: versionLabel.default(DEFAULT_VERSION),
  address: instanceAddress,
  origin: runtimeOriginSchema,
  labels: labelsSchema.optional(),
  healthCheck: healthCheckSchema.optional(),
});
export type RegistrationInput = z.input<typeof registrationInputSchema>;

/** What `meshdesk deregister` sends: the instance, narrowed to a version when one is given. */
export const deregistrationInputSchema = z.strictObject({
  service: dnsLabel,
  version: versionLabel.optional(),
  address: instanceAddress,
});
export type DeregistrationInput = z.infer<typeof deregistrationInputSchema>;
