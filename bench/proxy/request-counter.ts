/**
 * Counts the requests a child has served and samples its memory at fixed counts (10,000, then every
 * 100,000), from inside the process, so that "RSS after the 10,000th request" is exactly that and not
 * whenever the bench next looked. RSS is split into anonymous memory (heap, malloc, buffers) and
 * file-backed pages (the node binary and libraries), which no code change can shrink.
 */
import { readFileSync } from 'node:fs';
import type { Milestone } from './child-channel.js';

export class RequestCounter {
  count = 0;
  failures = 0;
  readonly milestones: Milestone[] = [];
  private next = 10_000;

  tick(failed = false): void {
    this.count++;
    if (failed) this.failures++;
    if (this.count === this.next) {
      this.milestones.push(sampleMemory(this.count));
      this.next = this.next < 100_000 ? 100_000 : this.next + 100_000;
    }
  }
}

export function sampleMemory(requests: number): Milestone {
  const memory = process.memoryUsage();
  return {
    requests,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    heapTotalBytes: memory.heapTotal,
    externalBytes: memory.external,
    ...rssParts(),
  };
}

function rssParts(): { rssAnonBytes: number | null; rssFileBytes: number | null } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    const anon = kb('RssAnon');
    const file = kb('RssFile');
    return { rssAnonBytes: Number.isNaN(anon) ? null : anon, rssFileBytes: Number.isNaN(file) ? null : file };
  } catch {
    return { rssAnonBytes: null, rssFileBytes: null };
  }
}
