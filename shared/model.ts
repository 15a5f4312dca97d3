/** The registry as every reader sees it: services, their versions, and the instances serving them. */
import { z } from 'zod';

export const instanceViewSchema = z.object({
  /** `host:port`, the registry key of an instance. */
  address: z.string(),
  host: z.string(),
  port: z.number().int(),
  /** Where the user declared it: `meshdesk.yaml:12`, `disco/world`, `GUI`, `CLI`. */
  origin: z.string(),
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
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  message: z.string(),
});
export type ConfigError = z.infer<typeof configErrorSchema>;
