/**
 * "Export for Kubernetes": the routes in force written as Gateway API HTTPRoutes (GAMMA: each route
 * attached to its Service). Declared here once for the admin API, the CLI flags and the dashboard:
 * what may be asked, what comes back, and how a version's Service is named in the cluster.
 */
import { z } from 'zod';
import { DEFAULT_VERSION } from './config-schema.js';

/**
 * The default name of a version's Service: `world-v2` for `world@v2`. The version `default` (a
 * service declared with `instances:` and no versions) is the service's own Service, `world`.
 */
export const DEFAULT_BACKEND_NAME = '{service}-{version}';

/** The port callers use in the cluster: `http://world/` is port 80, as it is through the mesh. */
export const DEFAULT_SERVICE_PORT = 80;

/**
 * A Service name template: lower-case letters, digits and "-" around `{service}` and `{version}`.
 * `{version}` is required, or every version would name the same Service.
 */
export const backendNameSchema = z
  .string()
  .regex(/^[a-z0-9-]*(\{(service|version)\}[a-z0-9-]*)+$/, 'must be lower-case letters, digits and "-" around {service} and {version}')
  .refine((template) => template.includes('{version}'), 'must contain {version}, or every version would name the same Service');

/** A Kubernetes namespace: a DNS label. */
const namespaceSchema = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a Kubernetes namespace: a-z, 0-9 and "-", at most 63 characters');

/** GET query parameters: every field arrives as a string. */
export const gatewayExportInputSchema = z.strictObject({
  /** Written into each HTTPRoute's metadata; omitted: the namespace `kubectl apply` uses. */
  namespace: namespaceSchema.optional(),
  /** Only this service's route; omitted: every registered service. */
  service: z.string().min(1).optional(),
  backendName: backendNameSchema.optional(),
  /** The Services' port in the cluster (default 80). */
  port: z.coerce.number().int().min(1).max(65_535).optional(),
});
export type GatewayExportInput = z.infer<typeof gatewayExportInputSchema>;

export const gatewayExportSchema = z.object({
  /** The HTTPRoutes as one multi-document YAML text, for `kubectl apply -f`. */
  yaml: z.string(),
  /** The services exported, one HTTPRoute each, in order. */
  services: z.array(z.string()),
});
export type GatewayExport = z.infer<typeof gatewayExportSchema>;

const SERVICE_NAME_LIMIT = 63;

/**
 * The Service a version's traffic goes to. Kubernetes Service names are DNS labels, while versions
 * may hold capitals, "." and "_" (`v1.2_beta`): those become lower case and "-" (`world-v1-2-beta`).
 */
export function backendServiceName(service: string, version: string, template = DEFAULT_BACKEND_NAME): string {
  if (version === DEFAULT_VERSION) return service;
  const name = template.replaceAll('{service}', service).replaceAll('{version}', version);
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .slice(0, SERVICE_NAME_LIMIT)
      .replace(/^-+|-+$/g, '') || service
  );
}

/** `meshdesk-httproutes.yaml`, or `world-httproute.yaml` for one service. */
export function exportFileName(service: string | null): string {
  return service ? `${service}-httproute.yaml` : 'meshdesk-httproutes.yaml';
}
