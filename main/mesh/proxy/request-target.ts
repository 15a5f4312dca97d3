/**
 * Works out where a request wants to go. Clients with http_proxy exported send absolute URIs
 * (`GET http://world:8080/path`); Linkerd-style clients send origin-form requests with `Host: world`.
 * Both name a host, which is either a registered service, the proxy itself, or somewhere else.
 */
export interface RequestTarget {
  /** Lower-cased host name without port or brackets. */
  host: string;
  port: number;
  /** Origin-form path and query to send upstream. */
  path: string;
  /** True when the request line carried an absolute URI (forward-proxy style). */
  absolute: boolean;
}

/** Host suffixes that still name a registered service: `world.mesh`, `world.localhost`. */
export const SERVICE_HOST_SUFFIXES = ['.mesh', '.localhost'] as const;

export function parseRequestTarget(url: string, hostHeader: string | undefined): RequestTarget | null {
  if (url.startsWith('/')) {
    if (!hostHeader) return null;
    const authority = splitAuthority(hostHeader, 80);
    return authority && { ...authority, path: url, absolute: false };
  }
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0 || url.slice(0, schemeEnd).toLowerCase() !== 'http') return null;
  const rest = url.slice(schemeEnd + 3);
  const pathStart = rest.search(/[/?]/);
  const authorityText = pathStart < 0 ? rest : rest.slice(0, pathStart);
  const path = pathStart < 0 ? '/' : rest[pathStart] === '?' ? `/${rest.slice(pathStart)}` : rest.slice(pathStart);
  // Credentials in the authority belong to the target, not to us; we do not forward them.
  const authority = splitAuthority(authorityText.slice(authorityText.lastIndexOf('@') + 1), 80);
  return authority && { ...authority, path, absolute: true };
}

/** The service name a host stands for, with the documented suffixes removed. */
export function serviceNameOf(host: string): string {
  for (const suffix of SERVICE_HOST_SUFFIXES) {
    if (host.endsWith(suffix) && host.length > suffix.length) return host.slice(0, -suffix.length);
  }
  return host;
}

function splitAuthority(authority: string, defaultPort: number): { host: string; port: number } | null {
  if (authority.length === 0) return null;
  let host: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) return null;
    host = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after.length > 0 && !after.startsWith(':')) return null;
    portText = after.length > 0 ? after.slice(1) : undefined;
  } else {
    const colon = authority.indexOf(':');
    host = colon < 0 ? authority : authority.slice(0, colon);
    portText = colon < 0 ? undefined : authority.slice(colon + 1);
  }
  if (!/^[A-Za-z0-9._:-]+$/.test(host)) return null;
  const port = portText === undefined || portText === '' ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: host.toLowerCase(), port };
}
