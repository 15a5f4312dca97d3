/**
 * The shadow copies' HTTP on a thread of their own (started by ThreadedCopySender): sends each copy
 * with CopySender, compares its answer with the primary's when asked, and posts both back. Its thread
 * runs at the lowest CPU priority, so where the mesh has one core the copies' sockets, parsing and
 * comparisons wait for the callers' requests instead of delaying them; with more cores they simply
 * run beside them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CopySender, type Comparison, type CopiedRequest } from './shadow-request.js';
import { lowerThisThreadsPriority, threadId } from './thread-priority.js';

export type CopyWorkerOptions = ConstructorParameters<typeof CopySender>[0];
export type ToCopyWorker = { id: number; address: string; copy: CopiedRequest; comparison: Comparison | null };
export type FromCopyWorker =
  { kind: 'ready'; threadId: number | null; lowered: boolean } | { kind: 'answer'; id: number; answer: Awaited<ReturnType<CopySender['send']>> };

if (parentPort) {
  const port = parentPort;
  const sender = new CopySender(workerData as CopyWorkerOptions);
  port.postMessage({ kind: 'ready', threadId: threadId(), lowered: lowerThisThreadsPriority() } satisfies FromCopyWorker);
  port.on('message', ({ id, address, copy, comparison }: ToCopyWorker) => {
    void sender.send(address, copy, comparison).then((answer) => {
      // The captured bytes are a view into a socket's larger buffer, which a post would clone whole
      // (it cost more than the copy's request did): post exactly the bytes, moved rather than cloned.
      const bytes = answer.body ? new Uint8Array(answer.body.bytes) : null;
      const posted = answer.body && bytes ? { ...answer, body: { ...answer.body, bytes } } : answer;
      port.postMessage({ kind: 'answer', id, answer: posted } satisfies FromCopyWorker, bytes ? [bytes.buffer] : []);
    });
  });
}
