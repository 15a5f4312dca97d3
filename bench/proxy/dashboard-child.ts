/**
 * The attached dashboard of the "dashboard attached" rows: a real push-stream client, reading every
 * batch the mesh sends, with the request log open (the view that receives every request event, as
 * `?requests=rows`). It runs on the load core beside the load generator, where a browser would be.
 *
 * Two ways to read (`--dashboard` of the bench):
 * - `parse` (the default): every batch parsed with the contract's schema, as the dashboard does. Its
 *   parse (about 4 ms a batch at 6,000 requests/s) runs beside wrk, so the rows' one-connection p99
 *   includes wrk waiting for the core, the client's cost rather than the mesh's.
 * - `raw`: every byte read and counted, nothing parsed, so what the rows show is the mesh's cost of
 *   serving the stream alone.
 * Run as a child process: `node dashboard-child.js <admin-url> <token> [parse|raw]`.
 */
import http from 'node:http';
import { pushBatches, pushStreamUrl } from '../../main/cli/push-client.js';
import { serveParent } from './child-channel.js';

const [adminUrl, token, mode = 'parse'] = process.argv.slice(2);
if (!adminUrl || !token || (mode !== 'parse' && mode !== 'raw')) {
  console.error('usage: dashboard-child.js <admin-url> <token> [parse|raw]');
  process.exit(2);
}
const abort = new AbortController();
/** Request rows read (parse), or bytes read (raw). */
let received = 0;
let dropped = 0;
let connected: () => void = () => undefined;
const opened = new Promise<void>((resolve) => (connected = resolve));

const reading = mode === 'parse' ? readParsed() : readRaw();
reading.catch((error: unknown) => {
  if (abort.signal.aborted) return;
  console.error(`bench: the dashboard's push stream failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
await opened;
serveParent(0, null, {
  stats: () => ({ requests: received, failures: dropped, milestones: [] }),
  stop: async () => abort.abort(),
});

async function readParsed(): Promise<void> {
  let batches = 0;
  for await (const batch of pushBatches(adminUrl as string, token as string, abort.signal, 'rows')) {
    if (batches++ === 0) connected();
    dropped += batch.dropped;
    for (const item of batch.items) if (item.kind === 'request') received++;
  }
}

function readRaw(): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      pushStreamUrl(adminUrl as string, 'rows'),
      { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` }, signal: abort.signal },
      (response) => {
        if (response.statusCode !== 200) return reject(new Error(`the push stream answered ${response.statusCode}`));
        response.on('data', (chunk: Buffer) => {
          if (received === 0) connected();
          received += chunk.length;
        });
        response.once('end', resolve);
        response.once('error', reject);
      },
    );
    request.once('error', reject);
  });
}
