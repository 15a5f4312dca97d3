/**
 * A client of the admin contract, for the renderer and the CLI alike: one typed call per operation,
 * each input and answer validated against the shared schemas, because types alone do not cross the
 * network. In a browser, the desktop app's window included, the session cookie authenticates; the
 * CLI and scripts present the token instead.
 */
import { adminErrorSchema, adminOperations, type OperationInput, type OperationName, type OperationOutput } from './api.js';
import { PUSH_REQUESTS_PARAM, type PushRequestsScope } from './push.js';

/** The mesh answered 401: no token, or a browser that has not opened the login URL yet. */
export class SignInRequiredError extends Error {}

/** The mesh refused a call; `status` lets a caller tell "not there" (404) from a failure. */
export class AdminCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class AdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | null = null,
  ) {}

  async call<Name extends OperationName>(
    name: Name,
    ...[input]: OperationInput<Name> extends Record<string, never> ? [] : [OperationInput<Name>]
  ): Promise<OperationOutput<Name>> {
    const op = adminOperations[name];
    const url = new URL(op.path, this.baseUrl);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (input !== undefined) {
      const checked = op.input.parse(input) as Record<string, unknown>;
      if (op.method === 'GET') for (const [key, value] of Object.entries(checked)) url.searchParams.set(key, String(value));
      else {
        body = JSON.stringify(checked);
        headers['content-type'] = 'application/json';
      }
    }
    const response = await fetch(url, { method: op.method, headers, body });
    const answer: unknown = await response.json();
    if (response.status === 401) throw new SignInRequiredError(adminErrorSchema.safeParse(answer).data?.error ?? 'sign in required');
    if (!response.ok) {
      const parsed = adminErrorSchema.safeParse(answer);
      throw new AdminCallError(parsed.success ? parsed.data.error : `${op.method} ${op.path} failed with ${response.status}`, response.status);
    }
    return op.output.parse(answer) as OperationOutput<Name>;
  }

  /** The push stream's address; `requests` says which request events to be sent (push.ts). */
  eventsUrl(scope: { requests?: PushRequestsScope } = {}): string {
    const url = new URL('/api/events', this.baseUrl);
    if (scope.requests && scope.requests !== 'full') url.searchParams.set(PUSH_REQUESTS_PARAM, scope.requests);
    return url.toString();
  }
}
