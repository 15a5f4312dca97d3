/** One line that says what a health check does, for the services table and the logs. */
import type { HealthCheck } from '../../../shared/config-schema.js';

export function describeHealthCheck(check: HealthCheck): string {
  const what =
    check.type === 'http'
      ? `http GET ${check.path} expecting ${check.expectStatus}`
      : check.type === 'grpc'
        ? `grpc health check${check.service === '' ? '' : ` of ${check.service}`} expecting SERVING`
        : 'tcp connect';
  return `${what} every ${formatMs(check.interval)}, timeout ${formatMs(check.timeout)}`;
}

export function formatMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}
