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
import { TimedBatch } from './timed-batch.js';

export type CopyWorkerOptions = ConstructorParameters<typeof CopySender>[0];
export type CopyJob = { id: number; address: string; copy: CopiedRequest; comparison: Comparison | null };
export type CopyAnswered = { id: number; answer: Awaited<ReturnType<CopySender['send']>> };
/** The copies that arrived within one batch window, in order. */
export type ToCopyWorker = { copies: CopyJob[] };
export type FromCopyWorker = { kind: 'ready'; threadId: number | null; lowered: boolean } | { kind: 'answers'; answers: CopyAnswered[] };

if (parentPort) {
  const port = parentPort;
  const sender = new CopySender(workerData as CopyWorkerOptions);
  port.postMessage({ kind: 'ready', threadId: threadId(), lowered: lowerThisThreadsPriority() } satisfies FromCopyWorker);
  const answers = new TimedBatch<CopyAnswered>((batch, moved) => port.postMessage({ kind: 'answers', answers: batch } satisfies FromCopyWorker, moved));
  port.on('message', ({ copies }: ToCopyWorker) => {
    for (const { id, address, copy, comparison } of copies) {
      void sender.send(address, copy, comparison).then((answer) => {
        // The captured bytes are a view into a socket's larger buffer, which a post would clone whole
        // (it cost more than the copy's request did): post exactly the bytes, moved rather than cloned.
        const bytes = answer.body ? new Uint8Array(answer.body.bytes) : null;
        answers.add({ id, answer: answer.body && bytes ? { ...answer, body: { ...answer.body, bytes } } : answer }, bytes ? [bytes.buffer] : []);
      });
    }
  });
}
