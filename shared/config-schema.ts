/**
 * The schema of `meshdesk.yaml`, the workspace config. Shared so that the mesh validates files with
 * it and the renderer validates its forms with the same rules.
 */
import { z } from 'zod';

/** Service and version names are DNS labels: they are used as host names (`http://world/`). */
export const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label: a-z, 0-9 and "-", at most 63 characters');

export const versionLabel = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be letters, digits, ".", "_" or "-", at most 63 characters');

/** `host:port`, as developers write it; IPv6 hosts go in brackets (`[::1]:7002`). */
export const instanceAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port, for example 127.0.0.1:7002')
  .refine((value) => {
    const port = Number(value.slice(value.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  }, 'port must be between 1 and 65535');

export const versionConfigSchema = z.strictObject({
  instances: z.array(instanceAddress).min(1, 'a version needs at least one instance'),
});

export const serviceConfigSchema = z
  .strictObject({
    /** Shorthand for a service with one version, named `default`. */
    instances: z.array(instanceAddress).min(1).optional(),
    versions: z.record(versionLabel, versionConfigSchema).optional(),
  })
  .refine((service) => (service.instances === undefined) !== (service.versions === undefined), {
    message: 'give either "instances" or "versions", not both and not neither',
  });

export const proxyModeSchema = z.enum(['passthrough', 'reject']);

export const meshConfigSchema = z.strictObject({
  proxy: z
    .strictObject({
      /** What to do with a host that is not a registered service. */
      mode: proxyModeSchema.default('passthrough'),
    })
    .default({ mode: 'passthrough' }),
  services: z.record(dnsLabel, serviceConfigSchema).default({}),
});

export type MeshConfig = z.infer<typeof meshConfigSchema>;
export type ServiceConfig = z.infer<typeof serviceConfigSchema>;
export type ProxyMode = z.infer<typeof proxyModeSchema>;

/** The version a service gets when its config lists instances without versions. */
export const DEFAULT_VERSION = 'default';
