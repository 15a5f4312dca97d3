// The holder of a listening port, read from the real OS: a child Node process listens, and
// findPortHolder must name it. Run with `npx vitest run main/mesh/os/port-holder.test.ts`.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { findPortHolder } from './port-holder.js';
import { startChildService } from './testing/child-service.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('findPortHolder', () => {
  it('names the process listening on a port', async () => {
    const holder = await startChildService(true);
    cleanups.push(() => holder.stop());
    expect(await findPortHolder(holder.port as number)).toEqual({ pid: holder.pid, command: 'node' });
  });

  it('is null for a port nobody listens on', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    expect(await findPortHolder(port)).toBeNull();
  });
});
