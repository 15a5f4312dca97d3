/**
 * Works out where a request wants to go. Clients with http_proxy exported send absolute URIs
 * (`GET http://world:8080/path`); Linkerd-style clients send origin-form requests with `Host: world`;
 * CONNECT sends an authority (`world:443`). Each names a host, which is a registered service, the
 * proxy itself, or somewhere else. Host names are checked against a strict character set here, so
 * nothing later (headers, pool keys, error bodies) sees raw client bytes as a host.
 */
export interface RequestTarget {
  /** Lower-cased host name without port, brackets or trailing dot. */
  host: string;
  port: number;
  /** `host[:port]` as the client wrote it, for the upstream Host header. */
  authority: string;
  /** Origin-form path and query to send upstream. */
  path: string;
  /** True when the request line carried an absolute URI (forward-proxy style). */
  absolute: boolean;
}

export interface TargetError {
  error: string;
}

/** Host suffixes that still name a registered service: `world.mesh`, `world.localhost`. */
export const SERVICE_HOST_SUFFIXES = ['.mesh', '.localhost'] as const;

const HOST_CHARS = /^[A-Za-z0-9._:-]+$/;

export function parseRequestTarget(url: string, hostHeader: string | undefined): RequestTarget | TargetError {
  if (url.charCodeAt(0) === 47 /* / */) {
    if (!hostHeader) return { error: 'request has no Host header, so the proxy cannot tell which service it is for' };
    const authority = parseAuthority(hostHeader, 80);
    if (!authority) return { error: 'malformed Host header' };
    return { host: authority.host, port: authority.port, authority: hostHeader, path: url, absolute: false };
  }
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) return { error: 'malformed request target' };
  const scheme = url.slice(0, schemeEnd).toLowerCase();
  if (scheme !== 'http') {
    return { error: `cannot forward ${scheme}:// requests; clients reach https through a CONNECT tunnel (https_proxy)` };
  }
  const rest = url.slice(schemeEnd + 3);
  const pathStart = rest.search(/[/?]/);
  const authorityText = pathStart < 0 ? rest : rest.slice(0, pathStart);
  const path = pathStart < 0 ? '/' : rest[pathStart] === '?' ? `/${rest.slice(pathStart)}` : rest.slice(pathStart);
  // Credentials in the authority belong to the target, not to us; they are not forwarded.
  const hostPort = authorityText.slice(authorityText.lastIndexOf('@') + 1);
  const authority = parseAuthority(hostPort, 80);
  if (!authority) return { error: 'malformed host in the request URI' };
  return { host: authority.host, port: authority.port, authority: hostPort, path, absolute: true };
}

/** The service name a host stands for, with the documented suffixes removed. */
export function serviceNameOf(host: string): string {
  for (const suffix of SERVICE_HOST_SUFFIXES) {
    if (host.endsWith(suffix) && host.length > suffix.length) return host.slice(0, -suffix.length);
  }
  return host;
}

/** `host`, `host:port`, `[v6]` or `[v6]:port`; null when any part is malformed. */
export function parseAuthority(authority: string, defaultPort: number): { host: string; port: number } | null {
  if (authority.length === 0) return null;
  let host: string;
  let portText: string | undefined;
  if (authority.charCodeAt(0) === 91 /* [ */) {
    const close = authority.indexOf(']');
    if (close < 0) return null;
    host = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after.length > 0 && !after.startsWith(':')) return null;
    portText = after.length > 0 ? after.slice(1) : undefined;
  } else {
    const colon = authority.indexOf(':');
    if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) return null; // an unbracketed IPv6 address
    host = colon < 0 ? authority : authority.slice(0, colon);
    portText = colon < 0 ? undefined : authority.slice(colon + 1);
  }
  if (host.endsWith('.')) host = host.slice(0, -1); // `world.` is the fully qualified `world`
  if (host.length === 0 || !HOST_CHARS.test(host)) return null;
  let port = defaultPort;
  if (portText !== undefined && portText !== '') {
    if (!/^\d{1,5}$/.test(portText)) return null;
    port = Number(portText);
  }
  if (port < 1 || port > 65535) return null;
  return { host: host.toLowerCase(), port };
}

/** Where a client's CONNECT tunnel to a service leads: the authority it asked for (service-tunnel.ts). */
export interface TunnelTarget {
  host: string;
  port: number;
  /** `host:port` as the CONNECT request wrote it. */
  authority: string;
}

/**
 * A request inside a tunnel: the CONNECT already named the destination, so the request goes there
 * whatever its Host header says (one tunnel never reaches another host); the path is the request
 * line's, origin-form as clients send inside a tunnel, or absolute-form if one sends that.
 */
export function tunnelRequestTarget(url: string, hostHeader: string | undefined, tunnel: TunnelTarget): RequestTarget | TargetError {
  let path = url;
  if (url.charCodeAt(0) !== 47 /* / */) {
    const parsed = parseRequestTarget(url, hostHeader);
    if ('error' in parsed) return parsed;
    path = parsed.path;
  }
  // The Host the client wrote is what the service expects to see, when it is a well-formed one.
  const authority = hostHeader !== undefined && parseAuthority(hostHeader, tunnel.port) !== null ? hostHeader : tunnel.authority;
  return { host: tunnel.host, port: tunnel.port, authority, path, absolute: false };
}
