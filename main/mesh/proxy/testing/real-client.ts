/**
 * For the real-client tests: a client that is not installed must fail its test with a message that
 * says what to install, never skip. `needClient` runs a cheap probe of the client (`--version`, an
 * import) and throws that message when the probe does not succeed. `expectForwardProxiedPair` is
 * the check every absolute-URI client's test makes of what reached the service.
 */
import { expect } from 'vitest';
import type { ProxiedExchange } from '../../../../shared/events.js';
import { run, type Upstream } from './harness.js';

/** Throws `<missing> (<probe> failed: <why>)` unless `command args` exits 0. */
export async function needClient(command: string, args: string[], missing: string): Promise<void> {
  const probe = await run(command, args, {}, 15_000);
  if (probe.code === 0) return;
  const why = probe.stderr.trim().split('\n').pop() || `exit code ${probe.code} (not installed?)`;
  throw new Error(`${missing} (\`${[command, ...args].join(' ')}\` failed: ${why})`);
}

/**
 * A client's `GET <path>?id=1` and `POST <path>` with `body` reached `world` forward-proxied: each
 * through the proxy (its Via), each one event of its own, none flagged as inside a CONNECT tunnel.
 */
export function expectForwardProxiedPair(world: Upstream, events: readonly ProxiedExchange[], path: string, body: string): void {
  expect(world.requests.map((req) => [req.method, req.url, req.headers.via])).toEqual([
    ['GET', `${path}?id=1`, '1.1 meshdesk'],
    ['POST', path, '1.1 meshdesk'],
  ]);
  expect(events.map((event) => [event.method, event.kind, event.service, event.path, event.bytesIn, event.flags ?? []])).toEqual([
    ['GET', 'service', 'world', `${path}?id=1`, 0, []],
    ['POST', 'service', 'world', path, body.length, []],
  ]);
}
