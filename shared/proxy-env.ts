/**
 * What an environment says about reaching the mesh's proxy, read the way the runtimes read it (see
 * design.md, "How each client reaches the mesh"): http_proxy / HTTP_PROXY (curl reads only the
 * lower-case one, most others either), NO_PROXY entries matched as suffixes of the host, Node's
 * NODE_USE_ENV_PROXY, Java's -Dhttp.proxyHost/-Dhttp.proxyPort (on its command line or in
 * JAVA_TOOL_OPTIONS / JDK_JAVA_OPTIONS; Java never reads http_proxy). Pure functions, used by the
 * mesh's bypass diagnosis (a process's environment) and by `meshdesk doctor` (the shell's), so both
 * give the same reasons and the same fixes.
 */
import { NO_PROXY_HOSTS } from './export-line.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/** The proxy URL a client of this environment would use for plain HTTP, or null. */
export function httpProxyOf(env: Environment): string | null {
  return nonEmpty(env.http_proxy) ?? nonEmpty(env.HTTP_PROXY);
}

/** The NO_PROXY entry (from no_proxy or NO_PROXY) that sends `host` direct, or null. `*` covers every host. */
export function noProxyEntryCovering(env: Environment, host: string): string | null {
  const name = host.toLowerCase();
  for (const variable of [env.no_proxy, env.NO_PROXY]) {
    for (const raw of (variable ?? '').split(/[,\s]+/)) {
      const entry = raw.trim().toLowerCase();
      if (entry === '') continue;
      if (entry === '*') return raw.trim();
      // `world`, `.world`, `*.world` and `world:80` all cover `world` (and its subdomains).
      const bare = entry.replace(/^\*?\./, '').replace(/:\d+$/, '');
      if (name === bare || name.endsWith(`.${bare}`)) return raw.trim();
    }
  }
  return null;
}

/** Node's fetch uses the proxy variables only with this set to 1 (22.21+, 24.5+). */
export function nodeUsesEnvProxy(env: Environment): boolean {
  return env.NODE_USE_ENV_PROXY === '1';
}

export interface JavaProxy {
  host: string | null;
  port: number | null;
}

/** The http.proxyHost/http.proxyPort system properties in Java options (a command line, JAVA_TOOL_OPTIONS). */
export function javaProxyOf(options: string | readonly string[]): JavaProxy {
  const text = typeof options === 'string' ? options : options.join(' ');
  const host = /-Dhttp\.proxyHost=(\S+)/.exec(text)?.[1] ?? null;
  const port = /-Dhttp\.proxyPort=(\d+)/.exec(text)?.[1];
  return { host, port: port === undefined ? null : Number(port) };
}

/** The Java options a JVM started from this environment reads at startup. */
export function javaOptionsOf(env: Environment): string {
  return [env.JAVA_TOOL_OPTIONS, env.JDK_JAVA_OPTIONS].filter((value) => value !== undefined && value !== '').join(' ');
}

/** `-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=4140` for the mesh at `proxyUrl`. */
export function javaProxyProperties(proxyUrl: string): string {
  const url = safeUrl(proxyUrl);
  const host = url ? url.hostname.replace(/^\[|\]$/g, '') : '127.0.0.1';
  return `-Dhttp.proxyHost=${host} -Dhttp.proxyPort=${url?.port || '80'}`;
}

/** Whether a configured proxy (a URL, or Java's host and port) is the mesh's proxy at `proxyUrl`. */
export function pointsAtProxy(target: string | JavaProxy, proxyUrl: string): boolean {
  const mesh = safeUrl(proxyUrl);
  if (!mesh) return false;
  let host: string;
  let port: string;
  if (typeof target === 'string') {
    const url = safeUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? target : `http://${target}`);
    if (!url) return false;
    host = url.hostname;
    port = url.port || (url.protocol === 'https:' ? '443' : '80');
  } else {
    if (target.host === null) return false;
    host = target.host;
    port = String(target.port ?? 80);
  }
  const meshPort = mesh.port || '80';
  return port === meshPort && sameHost(host, mesh.hostname);
}

/** The NO_PROXY value `meshdesk env` sets: loopback only, so no service name is in it. */
export const DEFAULT_NO_PROXY = NO_PROXY_HOSTS;

/** The one line that sets every variable a shell needs: what `meshdesk env` prints. */
export const ENV_FIX = 'eval "$(meshdesk env)"';

function sameHost(a: string, b: string): boolean {
  const clean = (host: string) => host.replace(/^\[|\]$/g, '').toLowerCase();
  const left = clean(a);
  const right = clean(b);
  return left === right || (isLoopbackName(left) && isLoopbackName(right));
}

function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1' || host.startsWith('::ffff:127.');
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}
