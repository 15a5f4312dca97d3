/**
 * The retry budget's arithmetic on a clock the test steps: 20% of requests plus 10/s over a 10 s
 * window, nothing taken when it is spent, and requests and retries forgotten as they leave the
 * window.
 * Run: npx vitest run main/mesh/resilience/retry-budget.test.ts
 */
import { describe, expect, it } from 'vitest';
import { RetryBudget } from './retry-budget.js';
import { DEFAULT_RETRY } from './service-policy.js';

describe('RetryBudget', () => {
  it('allows 20% of requests plus 10 per second of the window, then refuses', () => {
    const budget = new RetryBudget();
    for (let i = 0; i < 1_000; i++) budget.deposit(5_000, DEFAULT_RETRY);
    expect(budget.available(5_000, DEFAULT_RETRY)).toBe(200 + 100);
    let granted = 0;
    while (budget.tryWithdraw(5_100, DEFAULT_RETRY)) granted++;
    expect(granted).toBe(300);
    expect(budget.available(5_100, DEFAULT_RETRY)).toBe(0);
  });

  it('forgets requests and retries older than the window', () => {
    const budget = new RetryBudget();
    for (let i = 0; i < 500; i++) budget.deposit(0, DEFAULT_RETRY);
    for (let i = 0; i < 200; i++) budget.tryWithdraw(500, DEFAULT_RETRY);
    expect(budget.available(9_900, DEFAULT_RETRY)).toBe(100 + 100 - 200);
    // 10 s later both the deposits and the withdrawals have left the window: the floor remains.
    expect(budget.available(10_500, DEFAULT_RETRY)).toBe(100);
    expect(budget.available(60_000, DEFAULT_RETRY)).toBe(100);
  });

  it('follows a configured share', () => {
    const budget = new RetryBudget();
    const rule = { ...DEFAULT_RETRY, budgetPercent: 50, budgetMinPerSecond: 0 };
    for (let i = 0; i < 10; i++) budget.deposit(1_000, rule);
    expect(budget.available(1_000, rule)).toBe(5);
  });
});
