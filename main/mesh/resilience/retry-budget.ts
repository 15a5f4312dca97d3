/**
 * Retry budgets, per service, as Linkerd 2 keeps them: over a sliding window (10 s), retries may
 * add a share of the requests (20%) plus a floor per second (10/s) so that a quiet service can
 * still retry. A failing service is then hit by at most ~1.2× its traffic, never by a retry storm
 * that multiplies it by the attempt count.
 *
 * The window is a ring of one-second buckets of counts: depositing and withdrawing are a few
 * additions on typed arrays, with no allocation per request.
 */
const BUCKETS = 10;

export interface BudgetRule {
  budgetPercent: number;
  budgetMinPerSecond: number;
  budgetWindowMs: number;
}

export class RetryBudget {
  private readonly requests = new Float64Array(BUCKETS);
  private readonly retries = new Float64Array(BUCKETS);
  /** Index (time / bucket length) of the newest bucket written. */
  private current = -1;
  private bucketMs = 1_000;

  /** A request arrived (its first attempt). */
  deposit(now: number, rule: BudgetRule): void {
    const slot = this.advance(now, rule);
    this.requests[slot] = (this.requests[slot] as number) + 1;
  }

  /** Takes one retry from the budget; false (and nothing taken) when it is spent. */
  tryWithdraw(now: number, rule: BudgetRule): boolean {
    const slot = this.advance(now, rule);
    if (this.available(now, rule) < 1) return false;
    this.retries[slot] = (this.retries[slot] as number) + 1;
    return true;
  }

  /** Retries the budget allows right now. */
  available(now: number, rule: BudgetRule): number {
    return this.usage(now, rule).available;
  }

  /** Requests and retries in the window, and the retries still allowed. */
  usage(now: number, rule: BudgetRule): { requests: number; retries: number; available: number } {
    this.advance(now, rule);
    let requests = 0;
    let retries = 0;
    for (let i = 0; i < BUCKETS; i++) {
      requests += this.requests[i] as number;
      retries += this.retries[i] as number;
    }
    const allowance = (requests * rule.budgetPercent) / 100 + (rule.budgetMinPerSecond * rule.budgetWindowMs) / 1_000;
    return { requests, retries, available: Math.max(0, Math.floor(allowance - retries)) };
  }

  /** Moves the ring to `now`, emptying buckets that fell out of the window; returns the slot. */
  private advance(now: number, rule: BudgetRule): number {
    const bucketMs = rule.budgetWindowMs / BUCKETS;
    if (bucketMs !== this.bucketMs) {
      // The window changed with the config: start afresh rather than mix bucket lengths.
      this.bucketMs = bucketMs;
      this.current = -1;
    }
    const index = Math.floor(now / bucketMs);
    if (this.current === -1 || index - this.current >= BUCKETS) {
      this.requests.fill(0);
      this.retries.fill(0);
    } else {
      for (let i = this.current + 1; i <= index; i++) {
        this.requests[i % BUCKETS] = 0;
        this.retries[i % BUCKETS] = 0;
      }
    }
    if (index > this.current) this.current = index;
    return this.current % BUCKETS;
  }
}

/** One budget per service, made on its first request. */
export class RetryBudgets {
  private readonly budgets = new Map<string, RetryBudget>();

  for(service: string): RetryBudget {
    let budget = this.budgets.get(service);
    if (budget === undefined) {
      budget = new RetryBudget();
      this.budgets.set(service, budget);
    }
    return budget;
  }

  /** The services that have a budget (those that had a request), with it. */
  entries(): IterableIterator<[string, RetryBudget]> {
    return this.budgets.entries();
  }

  /** Forgets services that are no longer registered. */
  keepOnly(live: ReadonlySet<string>): void {
    for (const service of this.budgets.keys()) if (!live.has(service)) this.budgets.delete(service);
  }
}
