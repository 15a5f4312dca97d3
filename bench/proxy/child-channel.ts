/**
 * The tiny protocol between the bench and the servers it starts in child processes, over Node's
 * IPC channel (never over the sockets being measured): the child says where it listens, answers
 * questions about itself, and exits cleanly when told (so that `--cpu-prof` gets written).
 */
export type ParentMessage = { type: 'stats' } | { type: 'stop' };

export interface ChildStats {
  rssBytes: number;
  heapUsedBytes: number;
  /** Requests the child has counted, when it counts them (not the Meshdesk child with events off). */
  requests: number | null;
  /** Of those, answers with a 5xx status or an error (a broken row, not a slow one). */
  failures: number | null;
  /** RSS sampled by the child itself when `requests` crossed each milestone. */
  milestones: Milestone[];
}

export interface Milestone {
  requests: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** Memory outside the V8 heap that V8 knows of (Buffers and the like). */
  externalBytes: number;
  /** Anonymous (heap, malloc) and file-backed (binary, libraries) parts of RSS; Linux only. */
  rssAnonBytes: number | null;
  rssFileBytes: number | null;
}

/** Where a Meshdesk child's admin API listens and its token, for the attached dashboard. */
export interface AdminAddress {
  url: string;
  token: string;
}

export type ChildMessage = { type: 'ready'; port: number; note: string | null; admin?: AdminAddress } | ({ type: 'stats' } & ChildStats);

export interface ChildHooks {
  stats?: () => Omit<ChildStats, 'rssBytes' | 'heapUsedBytes'>;
  stop?: () => Promise<void>;
}

/** Call once the child listens. */
export function serveParent(port: number, note: string | null, hooks: ChildHooks = {}, admin?: AdminAddress): void {
  const send = (message: ChildMessage) => process.send?.(message);
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats') {
      const memory = process.memoryUsage();
      const extra = hooks.stats?.() ?? { requests: null, failures: null, milestones: [] };
      send({ type: 'stats', rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, ...extra });
    } else if (message.type === 'stop') {
      const stopping = hooks.stop?.() ?? Promise.resolve();
      void stopping.finally(() => process.exit(0));
    }
  });
  // The bench going away (even killed) closes the channel; do not outlive it.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port, note, ...(admin ? { admin } : {}) });
}
