/**
 * Sends the shadow copies from a worker thread (copy-worker.ts) instead of the main thread. A copy
 * is a second request with its own sockets, writes and parsing; on the main thread that work sat
 * between the callers' requests, and with shadowing on the callers' p99 doubled (bench/shadow). On
 * the worker, at the lowest CPU priority, the main thread is left with handing over the copy and
 * the primary's answer, and taking back the copy's answer and how the two differ: the comparison
 * (decoding and parsing both bodies) runs on the worker too. Copies and answers cross in batches,
 * one message per BATCH_MS each way rather than one per copy.
 *
 * The thread starts with the first copy (a mesh that never shadows pays nothing for it) and, should
 * it die, the copies it held are answered as failed and the next copy starts a new one. A thread
 * that cannot start at all (a runtime without worker threads, a packaging that hides the script)
 * leaves the copies to a CopySender on this thread: slower for the callers, but shadowing works.
 */
import { Worker } from 'node:worker_threads';
import type { CopyJob, CopyWorkerOptions, FromCopyWorker, ToCopyWorker } from './copy-worker.js';
import { CopySender, type ComparedAnswer, type Comparison, type CopiedRequest, type CopySending } from './shadow-request.js';
import { TimedBatch } from './timed-batch.js';

/** From the sources (tests, dev scripts) the worker is TypeScript, run by Node with these flags. */
const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(RUNNING_FROM_SOURCE ? './copy-worker.ts' : './copy-worker.js', import.meta.url);
const SOURCE_EXEC_ARGV = ['--experimental-transform-types', '--no-warnings', '--import', new URL('../store/testing/ts-hooks.mjs', import.meta.url).href];

export interface CopyThread {
  /** The worker thread's id on Linux, null elsewhere. */
  threadId: number | null;
  /** Whether its CPU priority was lowered. */
  lowered: boolean;
}

export class ThreadedCopySender implements CopySending {
  private worker: Worker | null = null;
  private thread: Promise<CopyThread> | null = null;
  private readonly waiting = new Map<
    number,
    { address: string; copy: CopiedRequest; comparison: Comparison | null; resolve: (answer: ComparedAnswer) => void }
  >();
  private nextId = 0;
  /** The running worker's copies waiting for the batch window to close. */
  private outbox: TimedBatch<CopyJob> | null = null;
  /** Set once a thread could not start: the copies are then sent from this thread. */
  private inThisThread: CopySender | null = null;

  /** `script` is the worker's module; tests give another to see a thread that cannot start. */
  constructor(
    private readonly options: CopyWorkerOptions,
    private readonly script: URL = WORKER_URL,
  ) {}

  send(address: string, copy: CopiedRequest, comparison: Comparison | null = null): Promise<ComparedAnswer> {
    if (this.inThisThread) return this.inThisThread.send(address, copy, comparison);
    const outbox = this.outbox ?? this.start();
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.waiting.set(id, { address, copy, comparison, resolve });
      // A captured body is a view into a larger buffer, which a post would clone whole: post exactly its bytes.
      const body = copy.body ? new Uint8Array(copy.body) : null;
      const primaryBody = comparison?.primary.body ? new Uint8Array(comparison.primary.body) : null;
      const posted = comparison && primaryBody ? { ...comparison, primary: { ...comparison.primary, body: primaryBody } } : comparison;
      const moved = [body?.buffer, primaryBody?.buffer].filter((buffer) => buffer !== undefined);
      outbox.add({ id, address, copy: { ...copy, body }, comparison: posted }, moved);
    });
  }

  /** The thread the copies run on, once it started (starting it if needed). */
  copyThread(): Promise<CopyThread> {
    if (this.inThisThread) return Promise.resolve({ threadId: null, lowered: false });
    if (!this.worker) this.start();
    return this.thread as Promise<CopyThread>;
  }

  /**
   * Cuts the copies in flight (answered as failed): nobody waits for them, and a stop must not. The
   * thread's memory (about 30 MB: its own V8 heap and HTTP client) is given back; a later copy starts
   * a new one.
   */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.dropOutbox();
    this.failWaiting('shadowing stopped');
    if (worker) await worker.terminate();
    const inThisThread = this.inThisThread;
    this.inThisThread = null;
    await inThisThread?.close();
  }

  /** Starts the thread, and returns the outbox its copies are posted through. */
  private start(): TimedBatch<CopyJob> {
    const worker = new Worker(this.script, { workerData: this.options, ...(RUNNING_FROM_SOURCE ? { execArgv: SOURCE_EXEC_ARGV } : {}) });
    // The copies never keep the mesh running.
    worker.unref();
    this.worker = worker;
    const outbox = new TimedBatch<CopyJob>((copies, moved) => worker.postMessage({ copies } satisfies ToCopyWorker, moved));
    this.outbox = outbox;
    let ready = false;
    this.thread = new Promise((resolve) => {
      worker.on('message', (message: FromCopyWorker) => {
        if (message.kind === 'ready') {
          ready = true;
          resolve({ threadId: message.threadId, lowered: message.lowered });
        } else for (const { id, answer } of message.answers) this.answered(id, answer);
      });
      const died = (reason: string) => {
        if (this.worker !== worker) return;
        this.worker = null;
        this.dropOutbox();
        resolve({ threadId: null, lowered: false });
        if (ready) {
          this.failWaiting(`the shadow copies' thread stopped: ${reason}`);
          return;
        }
        // Never started, so none of its copies left: send them all from here.
        this.inThisThread = new CopySender(this.options);
        const waiting = [...this.waiting.values()];
        this.waiting.clear();
        for (const { address, copy, comparison, resolve: answer } of waiting) void this.inThisThread.send(address, copy, comparison).then(answer);
      };
      worker.on('error', (error) => died(error.message));
      worker.on('exit', (code) => died(`exit code ${code}`));
    });
    return outbox;
  }

  /** The copies not yet posted are forgotten: their thread is gone (failWaiting, or sent from here). */
  private dropOutbox(): void {
    this.outbox?.drop();
    this.outbox = null;
  }

  private answered(id: number, answer: ComparedAnswer): void {
    const resolve = this.waiting.get(id)?.resolve;
    if (!resolve) return;
    this.waiting.delete(id);
    // Bytes arrive as a plain Uint8Array; the comparison reads them as a Buffer, as from a socket.
    const body = answer.body
      ? { ...answer.body, bytes: Buffer.from(answer.body.bytes.buffer, answer.body.bytes.byteOffset, answer.body.bytes.byteLength) }
      : null;
    resolve({ ...answer, body });
  }

  private failWaiting(error: string): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const { resolve } of waiting) resolve({ status: 0, error, headers: [], body: null, firstByteMs: null, ms: 0, differences: null });
  }
}
