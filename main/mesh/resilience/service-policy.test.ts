/**
 * A service's policy from meshdesk.yaml: defaults for what it leaves out, its retries, timeouts,
 * balancer, ejection and hold as written, and one resolution per config object.
 * Run: npx vitest run main/mesh/resilience/service-policy.test.ts
 */
import { describe, expect, it } from 'vitest';
import { meshConfigSchema } from '../../../shared/config-schema.js';
import { maxEjected } from './ejection.js';
import { DEFAULT_EJECTION, DEFAULT_RETRY, PolicyBook } from './service-policy.js';

const defaults = { requestTimeoutMs: 10_000, connectTimeoutMs: 5_000 };

describe('service policies', () => {
  it('fills in the safe defaults, and reads what the config says', () => {
    const config = meshConfigSchema.parse({
      services: {
        plain: { instances: ['127.0.0.1:7001'] },
        tuned: {
          instances: ['127.0.0.1:7002'],
          timeouts: { request: '2s', connect: '300ms' },
          retries: { attempts: 4, on: ['connect-failure', 429, '5xx'], budgetPercent: 50 },
          loadBalancer: 'round-robin',
          ejection: { consecutiveFailures: 3, baseTime: '10s', maxPercent: 30, latencyOutliers: false },
          holdWhileRestarting: false,
          protocol: 'h2c',
        },
      },
    });
    const book = new PolicyBook(defaults);
    expect(book.get(config, 'plain')).toEqual({
      ...defaults,
      retry: DEFAULT_RETRY,
      balancer: 'peak-ewma',
      ejection: DEFAULT_EJECTION,
      holdMs: 5_000,
      restartWindowMs: 30_000,
      protocol: 'auto',
    });
    expect(book.get(config, 'unknown')).toEqual(book.get(config, 'plain'));
    const tuned = book.get(config, 'tuned');
    expect(tuned).toMatchObject({ requestTimeoutMs: 2_000, connectTimeoutMs: 300, balancer: 'round-robin', holdMs: 0, protocol: 'h2c' });
    expect(tuned.retry).toMatchObject({ attempts: 4, connectFailure: true, budgetPercent: 50 });
    expect(tuned.retry.statuses.has(429) && tuned.retry.statuses.has(500) && tuned.retry.statuses.has(599)).toBe(true);
    expect(tuned.ejection).toMatchObject({ consecutiveFailures: 3, baseMs: 10_000, maxShare: 0.3, latencyOutliers: false });
    // Cached per config object: the same policy until the config is replaced.
    expect(book.get(config, 'tuned')).toBe(tuned);
    expect(book.get(meshConfigSchema.parse(config), 'tuned')).not.toBe(tuned);
  });

  it('retries only gateway errors and connection failures unless told otherwise', () => {
    expect([...DEFAULT_RETRY.statuses].sort()).toEqual([502, 503, 504]);
    const config = meshConfigSchema.parse({ services: { s: { instances: ['127.0.0.1:7001'], retries: { on: [503] } } } });
    expect(new PolicyBook(defaults).get(config, 's').retry).toMatchObject({ connectFailure: false, statuses: new Set([503]) });
  });

  it('ejects at least one instance and never all of them', () => {
    expect([1, 2, 3, 4, 10].map((instances) => maxEjected(instances, 0.5))).toEqual([0, 1, 1, 2, 5]);
    expect(maxEjected(3, 0.1)).toBe(1);
    expect(maxEjected(3, 1)).toBe(2);
    expect(maxEjected(5, 0)).toBe(0);
  });
});
