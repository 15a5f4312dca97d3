/**
 * The admin contract: every operation the admin API offers, declared once with the schemas of its
 * input and output. The admin server must implement each (a test fails when one has no handler);
 * the renderer's and the CLI's clients are typed from it and validate what comes back, because
 * TypeScript types do not cross the network.
 */
import { z } from 'zod';
import { configErrorSchema, serviceViewSchema } from './model.js';

export const meshInfoSchema = z.object({
  version: z.string(),
  /** Where clients point http_proxy, e.g. `http://127.0.0.1:4140`. */
  proxyUrl: z.string(),
  adminUrl: z.string(),
  configFile: z.string().nullable(),
  configErrors: z.array(configErrorSchema),
  startedAt: z.string(),
});
export type MeshInfo = z.infer<typeof meshInfoSchema>;

interface Operation<Output extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  output: Output;
}

function operation<Output extends z.ZodType>(op: Operation<Output>): Operation<Output> {
  return op;
}

export const adminOperations = {
  getInfo: operation({ method: 'GET', path: '/api/info', output: meshInfoSchema }),
  listServices: operation({ method: 'GET', path: '/api/services', output: z.array(serviceViewSchema) }),
} as const;

export type AdminOperations = typeof adminOperations;
export type OperationName = keyof AdminOperations;
export type OperationOutput<Name extends OperationName> = z.infer<AdminOperations[Name]['output']>;

/** The error body every admin failure returns. */
export const adminErrorSchema = z.object({ error: z.string() });
