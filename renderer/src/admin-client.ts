/**
 * The renderer's side of the admin contract: one typed call per operation, each answer validated
 * against the shared schema, because the types alone do not cross the network.
 */
import { adminErrorSchema, adminOperations, type OperationName, type OperationOutput } from '../../shared/api.js';

export class AdminClient {
  constructor(private readonly baseUrl: string) {}

  async call<Name extends OperationName>(name: Name): Promise<OperationOutput<Name>> {
    const op = adminOperations[name];
    const response = await fetch(new URL(op.path, this.baseUrl), { method: op.method, headers: { accept: 'application/json' } });
    const body: unknown = await response.json();
    if (!response.ok) {
      const parsed = adminErrorSchema.safeParse(body);
      throw new Error(parsed.success ? parsed.data.error : `${op.method} ${op.path} failed with ${response.status}`);
    }
    return op.output.parse(body) as OperationOutput<Name>;
  }
}
