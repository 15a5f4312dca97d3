/**
 * A bypass: a local process seen in the OS connection table talking straight to a registered
 * instance's port, so its calls never reach the proxy and are missing from the graph. The mesh
 * finds them (main/mesh/bypass/), diagnoses each once, where the process is seen, and sends the
 * whole list on the push stream whenever it changes; `meshdesk doctor` lists them. Declared in zod
 * because it crosses the network to the dashboard and the CLI.
 */
import { z } from 'zod';

/** Read from the process's command: what decides the likely reason and the fix. */
export const bypassRuntimeSchema = z.enum(['node', 'python', 'java', 'go', 'other']);
export type BypassRuntime = z.infer<typeof bypassRuntimeSchema>;

export const bypassSchema = z.object({
  /** Stable while the process keeps bypassing this service: `<pid>:<command>><service>`. */
  id: z.string(),
  /** How the graph names the caller: the registered service the process serves, else `<command> pid <pid>` (short enough for a caller node). */
  caller: z.string(),
  /** The registered service whose port the process listens on, if any. */
  callerService: z.string().nullable(),
  pid: z.number().int(),
  command: z.string(),
  runtime: bypassRuntimeSchema,
  service: z.string(),
  version: z.string(),
  /** `host:port` of each instance it was seen connected to. */
  instances: z.array(z.string()),
  /** Why it most likely bypasses the proxy; always worded as a likelihood (`likely: …`). */
  reason: z.string(),
  /** What to change so its calls go through the mesh. */
  fix: z.string(),
  /** Epoch ms. */
  firstSeen: z.number(),
  lastSeen: z.number(),
  /** Connections seen so far, and open at the last look (0: it is listed for a while after its last one). */
  connections: z.number().int().nonnegative(),
  open: z.number().int().nonnegative(),
});
export type Bypass = z.infer<typeof bypassSchema>;
