/** Binds a server, turning "address in use" into one clear sentence that names the holder. */
import type { Server } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { findPortHolder } from './os/port-holder.js';

export class PortInUseError extends Error {
  constructor(
    readonly role: string,
    readonly host: string,
    readonly port: number,
    readonly holder: { pid: number; command: string } | null,
  ) {
    const by = holder ? ` by ${holder.command} (pid ${holder.pid})` : '';
    super(`${role} port ${port} on ${host} is already in use${by}`);
    this.name = 'PortInUseError';
  }
}

export function listen(server: Server, role: string, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        findPortHolder(port).then((holder) => reject(new PortInUseError(role, host, port, holder)), reject);
      } else {
        reject(new Error(`cannot listen on ${host}:${port} for the ${role}: ${error.message}`));
      }
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(address && typeof address === 'object' ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** A host as a URL writes it: an IPv6 address in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Stops accepting, lets in-flight requests finish for up to `graceMs`, then cuts the rest. */
export function closeServer(server: HttpServer, graceMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
