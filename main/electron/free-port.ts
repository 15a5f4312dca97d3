/**
 * Finds a free TCP port near a taken one, to offer in the port-conflict dialog: 4141 is easier to
 * remember and type than whatever the OS hands out for port 0. Probing binds and closes a real
 * listener, so the answer is only "free a moment ago"; the caller copes with losing the race.
 */
import net from 'node:net';

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function anyFreePort(host: string): Promise<number | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => resolve(address && typeof address === 'object' ? address.port : null));
    });
  });
}

/** The first free port among the next `span` after `port`, else any free port, else null. */
export async function freePortNear(host: string, port: number, span = 20): Promise<number | null> {
  for (let candidate = port + 1; candidate <= Math.min(port + span, 65_535); candidate++) {
    if (await canListen(host, candidate)) return candidate;
  }
  return anyFreePort(host);
}
