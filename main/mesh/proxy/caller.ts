/**
 * Who sent a request, as the request itself says: an explicit `x-meshdesk-caller` header, else the
 * user name in the proxy URL (`http_proxy=http://hello@127.0.0.1:4140`, which clients send as
 * Proxy-Authorization). When it says nothing, the operating system's view decides (telemetry's
 * connection-callers.ts), else `shell`.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export const SHELL_CALLER = 'shell';

export function callerOf(req: IncomingMessage): string {
  return explicitCaller(req) ?? SHELL_CALLER;
}

/** The caller the request names itself, or null when it names none. */
export function explicitCaller(req: { headers: IncomingHttpHeaders }): string | null {
  const header = req.headers['x-meshdesk-caller'];
  if (typeof header === 'string' && header.length > 0) return header.toLowerCase();
  return proxyUserOf(req.headers['proxy-authorization']);
}

function proxyUserOf(authorization: string | undefined): string | null {
  if (!authorization || !/^basic /i.test(authorization)) return null;
  const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  if (user.length === 0) return null;
  try {
    return decodeURIComponent(user).toLowerCase();
  } catch {
    return user.toLowerCase();
  }
}
