/**
 * Puts the calling thread (not the whole process) at the lowest CPU priority, so that on a busy core
 * the kernel runs the mesh's main thread, which serves the callers, before it. Linux only: there a
 * thread has its own id (read from /proc/thread-self) and setpriority() on it moves that thread
 * alone. Elsewhere it does nothing and says so, and the thread shares the CPU evenly.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

const LOWEST = 19;

/** The thread's own id on Linux ('/proc/thread-self' links to '<pid>/task/<tid>'), else null. */
export function threadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** True when the calling thread now runs at the lowest priority. */
export function lowerThisThreadsPriority(): boolean {
  const tid = threadId();
  if (tid === null) return false;
  try {
    setPriority(tid, LOWEST);
    return true;
  } catch {
    return false;
  }
}
