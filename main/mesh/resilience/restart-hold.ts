/**
 * Hold-while-restarting: when every instance of a version refuses connections — a dev server
 * restarting on a file change — requests wait for it to come back instead of failing. No cluster
 * mesh does this (a pod restart there is hidden by its peers); on one machine it is the common case.
 *
 * Concurrency model. Held requests of one version share one hold: a single prober tries each
 * instance's port every `probeIntervalMs` (a TCP connect, closed at once) and releases every waiter
 * to the first instance that accepts, so a thousand held requests cost one probe per tick, not a
 * thousand reconnect loops. Each waiter has its own deadline; one that passes gets null and its
 * request fails as it would have. A hold that ran out marks the version as given up: a service
 * that was stopped (not restarted) then fails fast, until one of its instances answers again.
 */
import net from 'node:net';

export interface HoldTarget {
  address: string;
  host: string;
  port: number;
}

/** Called once: with the instance that came back, or null when the deadline passed first. */
export type HoldCallback = (target: HoldTarget | null) => void;

interface Waiter {
  deadline: number;
  callback: HoldCallback;
}

interface HoldGroup {
  targets: readonly HoldTarget[];
  waiters: Set<Waiter>;
  timer: NodeJS.Timeout | null;
  probes: Set<net.Socket>;
}

export interface RestartHoldOptions {
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
}

export class RestartHold {
  private readonly groups = new Map<string, HoldGroup>();
  /** Version key → `performance.now()` when a hold for it last ran out. */
  private readonly gaveUp = new Map<string, number>();
  private readonly probeIntervalMs: number;
  private readonly probeTimeoutMs: number;

  constructor(options: RestartHoldOptions = {}) {
    this.probeIntervalMs = options.probeIntervalMs ?? 50;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 1_000;
  }

  /**
   * Worth holding for: the version answered before (it is restarting, not absent), and has
   * answered since a hold for it last ran out. `lastOkAt` is its instances' latest answer.
   */
  shouldHold(key: string, lastOkAt: number): boolean {
    if (lastOkAt === 0) return false;
    const gaveUp = this.gaveUp.get(key);
    return gaveUp === undefined || lastOkAt > gaveUp;
  }

  /** Waits until one of `targets` accepts a connection, or `deadline`; returns a cancel. */
  wait(key: string, targets: readonly HoldTarget[], deadline: number, callback: HoldCallback): () => void {
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { targets, waiters: new Set(), timer: null, probes: new Set() };
      this.groups.set(key, group);
      this.schedule(key, group);
    }
    group.targets = targets;
    const waiter: Waiter = { deadline, callback };
    group.waiters.add(waiter);
    const held = group;
    return () => {
      held.waiters.delete(waiter);
      if (held.waiters.size === 0) this.stop(key, held);
    };
  }

  /** Held requests in all versions (for tests and the UI). */
  get holding(): number {
    let count = 0;
    for (const group of this.groups.values()) count += group.waiters.size;
    return count;
  }

  close(): void {
    for (const [key, group] of this.groups) {
      this.stop(key, group);
      for (const waiter of group.waiters) waiter.callback(null);
      group.waiters.clear();
    }
  }

  private schedule(key: string, group: HoldGroup): void {
    group.timer = setTimeout(() => this.tick(key, group), this.probeIntervalMs);
    group.timer.unref();
  }

  private tick(key: string, group: HoldGroup): void {
    group.timer = null;
    if (this.groups.get(key) !== group) return;
    const now = performance.now();
    for (const waiter of group.waiters) {
      if (waiter.deadline > now) continue;
      group.waiters.delete(waiter);
      this.gaveUp.set(key, now);
      safely(waiter.callback, null);
    }
    if (group.waiters.size === 0) {
      this.stop(key, group);
      return;
    }
    for (const target of group.targets) this.probe(key, group, target);
    this.schedule(key, group);
  }

  private probe(key: string, group: HoldGroup, target: HoldTarget): void {
    const socket = net.connect({ host: target.host, port: target.port });
    group.probes.add(socket);
    socket.setTimeout(this.probeTimeoutMs, () => socket.destroy());
    socket.once('error', () => socket.destroy());
    socket.once('close', () => group.probes.delete(socket));
    socket.once('connect', () => {
      socket.destroy();
      if (this.groups.get(key) !== group) return;
      this.gaveUp.delete(key);
      const waiters = [...group.waiters];
      group.waiters.clear();
      this.stop(key, group);
      for (const waiter of waiters) safely(waiter.callback, target);
    });
  }

  private stop(key: string, group: HoldGroup): void {
    if (group.timer !== null) clearTimeout(group.timer);
    group.timer = null;
    for (const socket of group.probes) socket.destroy();
    group.probes.clear();
    if (this.groups.get(key) === group) this.groups.delete(key);
  }
}

function safely(callback: HoldCallback, target: HoldTarget | null): void {
  try {
    callback(target);
  } catch {
    // A waiter's failure is its own request's business.
  }
}
