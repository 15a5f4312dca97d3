/** `host:port` strings: splitting them, and telling a loopback host (this machine) from any other. */
import { isIP } from 'node:net';

export function parseAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const rawHost = address.slice(0, colon);
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  return { host, port: Number(address.slice(colon + 1)) };
}

export function formatAddress(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Loopback by name or by address; anything else means traffic would leave this machine. */
export function isLoopbackHost(host: string): boolean {
  const lower = host.toLowerCase();
  if (lower === 'localhost' || lower.endsWith('.localhost')) return true;
  if (isIP(lower) === 4) return lower.startsWith('127.');
  if (isIP(lower) === 6) return lower === '::1' || lower === '0:0:0:0:0:0:0:1' || lower.startsWith('::ffff:127.');
  return false;
}

/** The warning a non-loopback instance gets: allowed (a VM, a LAN box), but worth saying out loud. */
export function nonLoopbackWarning(address: string): string | null {
  const { host } = parseAddress(address);
  return isLoopbackHost(host) ? null : `${address} is not on this machine (not a loopback address); proxied traffic to it leaves the machine`;
}
