/**
 * A stand-in for copy-worker.ts that sends nothing: it answers each copy with, as its status, how
 * many copies crossed in the same message, so a test can see how the copies were batched.
 */
import { parentPort } from 'node:worker_threads';
import type { FromCopyWorker, ToCopyWorker } from '../copy-worker.js';

if (parentPort) {
  const port = parentPort;
  port.postMessage({ kind: 'ready', threadId: null, lowered: false } satisfies FromCopyWorker);
  port.on('message', ({ copies }: ToCopyWorker) => {
    const answers = copies.map(({ id }) => ({
      id,
      answer: { status: copies.length, error: null, headers: [], body: null, firstByteMs: null, ms: 0, differences: null },
    }));
    port.postMessage({ kind: 'answers', answers } satisfies FromCopyWorker);
  });
}
