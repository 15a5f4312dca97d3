/**
 * The attached dashboard of the "dashboard attached" rows: a real push-stream client, reading every
 * batch the mesh sends and parsing it with the contract's schema, as the dashboard does, with the
 * request log open (the view that receives every request event, as `?requests=rows`). It runs on the load core beside
 * the load generator, where a browser would be, so what the rows show is the mesh's cost of
 * serving it.
 * Run as a child process: `node dashboard-child.js <admin-url> <token>`.
 */
import { pushBatches } from '../../main/cli/push-client.js';
import { serveParent } from './child-channel.js';

const [adminUrl, token] = process.argv.slice(2);
if (!adminUrl || !token) {
  console.error('usage: dashboard-child.js <admin-url> <token>');
  process.exit(2);
}
const abort = new AbortController();
let batches = 0;
let requestItems = 0;
let dropped = 0;
let connected: () => void = () => undefined;
const opened = new Promise<void>((resolve) => (connected = resolve));
const reading = (async () => {
  for await (const batch of pushBatches(adminUrl, token, abort.signal, 'rows')) {
    if (batches++ === 0) connected();
    dropped += batch.dropped;
    for (const item of batch.items) if (item.kind === 'request') requestItems++;
  }
})();
reading.catch((error: unknown) => {
  if (abort.signal.aborted) return;
  console.error(`bench: the dashboard's push stream failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
await opened;
serveParent(0, null, {
  stats: () => ({ requests: requestItems, failures: dropped, milestones: [] }),
  stop: async () => abort.abort(),
});
