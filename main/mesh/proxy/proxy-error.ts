/**
 * The answers the proxy gives when it cannot deliver a request: a status and a short body naming
 * the service, the instance tried and the cause — text for people, JSON when the client asks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ProxyFailure {
  status: number;
  service: string | null;
  instance: string | null;
  cause: string;
}

export function sendProxyError(req: IncomingMessage, res: ServerResponse, failure: ProxyFailure): void {
  if (res.headersSent) {
    // The client already has a status line; all we can still say is that the body is cut.
    res.destroy();
    return;
  }
  const wantsJson = (req.headers.accept ?? '').includes('application/json');
  const body = wantsJson
    ? JSON.stringify({ error: failure.cause, status: failure.status, service: failure.service, instance: failure.instance })
    : `meshdesk: ${describe(failure)}\n`;
  res.writeHead(failure.status, {
    'content-type': wantsJson ? 'application/json' : 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-meshdesk-error': failure.cause,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function describe({ service, instance, cause }: ProxyFailure): string {
  const where = service ? ` (service ${service}${instance ? `, instance ${instance}` : ''})` : '';
  return `${cause}${where}`;
}
