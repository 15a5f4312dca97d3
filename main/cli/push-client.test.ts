// The CLI's push-stream reader parses every batch with the contract's schema: a batch that does not
// fit ends the stream with one clear error, and `meshdesk tap` prints it as one line on stderr and
// exits 1. The mesh is a stand-in HTTP server that sends a good batch, then a request event without
// the `failed` every recorded event carries. The tap case runs the built dist/ (`npm run build:main`).
// Run: npx vitest run main/cli/push-client.test.ts
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PATHS } from '../../shared/api.js';
import { SSE_EVENT, PushBatchError, type PushBatch } from '../../shared/push.js';
import { proxiedExchange } from '../../shared/testing/exchange-fixture.js';
import { listenUpstream } from '../mesh/testing/http-upstream.js';
import { pushBatches } from './push-client.js';
import { runMeshdesk } from './testing/spawn-meshdesk.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const GOOD = JSON.stringify({ seq: 1, items: [], dropped: 0 } satisfies PushBatch);
/** A request item as the bus carries it, not as the telemetry records it: no `failed`. */
const UNJUDGED = JSON.stringify({ seq: 2, items: [{ kind: 'request', event: proxiedExchange() }], dropped: 0 });

/** A stand-in admin API whose push stream sends `messages` and then stays open. */
async function fakeMesh(messages: string[]): Promise<string> {
  const port = await listenUpstream((req, res) => {
    if (req.url !== ADMIN_PATHS.events) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const data of messages) res.write(`event: ${SSE_EVENT}\ndata: ${data}\n\n`);
  }, cleanups);
  return `http://127.0.0.1:${port}`;
}

async function collect(adminUrl: string): Promise<{ batches: PushBatch[]; error: unknown }> {
  const batches: PushBatch[] = [];
  try {
    for await (const batch of pushBatches(adminUrl, 'token')) batches.push(batch);
  } catch (error) {
    return { batches, error };
  }
  return { batches, error: null };
}

describe('pushBatches', () => {
  it('yields the batches that fit, then rejects one that does not, naming the field', async () => {
    const { batches, error } = await collect(await fakeMesh([GOOD, UNJUDGED, GOOD]));
    expect(batches).toEqual([{ seq: 1, items: [], dropped: 0 }]);
    expect(error).toBeInstanceOf(PushBatchError);
    expect((error as Error).message).toMatch(/^the mesh sent a push batch that does not fit the contract \(.*items\.0\.event\.failed: .+\)$/);
  });

  it('rejects a batch that is not JSON', async () => {
    const { batches, error } = await collect(await fakeMesh(['{"seq":1,']));
    expect(batches).toEqual([]);
    expect((error as Error).message).toBe('the mesh sent a push batch that is not JSON');
  });
});

describe('meshdesk tap on a malformed batch', () => {
  it('prints one line on stderr and exits 1', async () => {
    const adminUrl = await fakeMesh([GOOD, UNJUDGED]);
    const result = await runMeshdesk(['tap', '--max', '5'], { MESHDESK_ADMIN_URL: adminUrl, MESHDESK_TOKEN: 'token', NO_COLOR: '1' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^meshdesk: the mesh sent a push batch that does not fit the contract \(.*items\.0\.event\.failed: /),
    ]);
  });
});
