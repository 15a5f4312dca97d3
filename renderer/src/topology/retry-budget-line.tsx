/** A service's retry budget in words: what retries may still add, and what they have used. */
import type { RetryBudgetView } from '../../../shared/stats.js';

export function RetryBudgetLine({ budget }: { budget: RetryBudgetView | null }) {
  if (!budget)
    return (
      <p className="muted small" data-testid="panel-retry-budget">
        Retry budget: no requests yet.
      </p>
    );
  if (budget.maxRetries === 0)
    return (
      <p className="muted small" data-testid="panel-retry-budget">
        Retries are off for this service.
      </p>
    );
  const spent = budget.available === 0;
  return (
    <p className={spent ? 'small warning' : 'muted small'} data-testid="panel-retry-budget" data-spent={spent ? 'true' : 'false'}>
      Retry budget: {budget.available} {budget.available === 1 ? 'retry' : 'retries'} left · {budget.retries} used for {budget.requests} requests in the last{' '}
      {budget.windowSeconds} s (allows {budget.budgetPercent}% + {budget.budgetMinPerSecond}/s, at most {budget.maxRetries} per request)
      {spent ? ' — spent: failures are not retried until it refills' : ''}
    </p>
  );
}
