/**
 * A real upstream HTTP server on a free loopback port, for tests: listens, returns its port, and
 * registers its own shutdown with the test's cleanup list (connections cut, so nothing lingers).
 */
import http from 'node:http';

export async function listenUpstream(handler: http.RequestListener, cleanups: (() => unknown)[]): Promise<number> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  return (server.address() as { port: number }).port;
}

/** A handler that answers every request with the same text. */
export function answering(body: string): http.RequestListener {
  return (_req, res) => res.end(body);
}
